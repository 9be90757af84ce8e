/**
 * PGlite (PostgreSQL in WASM) behind a Kysely PostgresDialect, so the embedded store uses the same MikroORM
 * PostgreSQL driver, SQL and migrations as production. PGlite is one backend session: "connections" are handed
 * out one at a time, so a transaction never interleaves with another caller's statements.
 */
import type { PGlite } from '@electric-sql/pglite';
import { PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';

export function pgliteDialect(db: PGlite): PostgresDialect {
  let tail: Promise<void> = Promise.resolve();
  const connect = async (): Promise<PostgresPoolClient> => {
    let release!: () => void;
    const previous = tail;
    tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
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
  return new PostgresDialect({ pool });
}
