/** The PostgreSQL parser (libpg-query, WASM), loaded once per process for everything that parses SQL. */
import { loadModule } from 'libpg-query';

let ready: Promise<void> | undefined;
let loaded = false;

/** Resolves once the WASM parser is loaded; a failed load is retried on the next call. */
export function loadPgParser(): Promise<void> {
  ready ??= loadModule().then(
    () => {
      loaded = true;
    },
    (error: unknown) => {
      ready = undefined;
      throw error;
    },
  );
  return ready;
}

/** Whether the parser is loaded already, so a hot path need not wait for a promise. */
export const pgParserLoaded = (): boolean => loaded;
