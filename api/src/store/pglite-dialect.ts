/**
 * PGlite (PostgreSQL in WASM) behind a Kysely PostgresDialect, so the embedded store uses the same MikroORM
 * PostgreSQL driver, SQL and migrations as production. PGlite is one backend session: "connections" are handed
 * out one at a time, so a transaction never interleaves with another caller's statements; `exclusive` gives the
 * session to other work the same way.
 */
import type { PGlite } from '@electric-sql/pglite';
import { PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';

export interface PgliteSession {
  dialect: PostgresDialect;
  /** Runs `work` on the session while no MikroORM connection holds it. */
  exclusive<T>(work: (db: PGlite) => Promise<T>): Promise<T>;
}

export function pgliteSession(db: PGlite): PgliteSession {
  let tail: Promise<void> = Promise.resolve();
  const take = async (): Promise<() => void> => {
    let release!: () => void;
    const previous = tail;
    tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    return release;
  };
  const connect = async (): Promise<PostgresPoolClient> => {
    const release = await take();
    const client = {
      async query(sql: string, parameters: readonly unknown[]) {
        const result = await db.query<Record<string, unknown>>(sql, parameters as unknown[]);
        return {
          command: (sql.trimStart().split(/\s/, 1)[0] ?? '').toUpperCase(),
          rowCount: result.affectedRows ?? result.rows.length,
          rows: result.rows,
        };
      },
      release,
    };
    return client as unknown as PostgresPoolClient;
  };
  const pool: PostgresPool = { connect, end: () => db.close(), options: {} };
  return {
    dialect: new PostgresDialect({ pool }),
    async exclusive(work) {
      const release = await take();
      try {
        return await work(db);
      } finally {
        release();
      }
    },
  };
}
