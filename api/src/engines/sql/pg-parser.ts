/** The PostgreSQL parser (libpg-query, WASM), loaded once per process for everything that parses SQL. */
import { loadModule } from 'libpg-query';

let ready: Promise<void> | undefined;

/** Resolves once the WASM parser is loaded; a failed load is retried on the next call. */
export function loadPgParser(): Promise<void> {
  ready ??= loadModule().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  return ready;
}
