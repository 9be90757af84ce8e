/**
 * The execution engines against the real PostgreSQL 15 and MariaDB 10.11 of the test run.
 *
 * Not testable here (see the report in the engine files): TLS (the servers run without it), a wrong *password* on
 * PostgreSQL (the cluster uses `trust` authentication, so a role that does not exist stands in for it), and MySQL
 * proper (only MariaDB is available).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresDatabase, freePort, waitUntil } from '../../test/servers.ts';
import { engineFor, EngineError, redact, type ConnectionSpec, type Engine, type ExecuteRequest, type ExecutionResult } from './engine.ts';
import { MysqlEngine } from './mysql/mysql-engine.ts';
import { PostgresEngine } from './postgres/postgres-engine.ts';

/** Runs `promise` and returns the EngineError it must fail with. */
async function failure(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('expected an EngineError, but the call succeeded');
}

function read(sql: string, params: unknown[] = [], maxRows = 100): ExecuteRequest {
  return { statements: [{ sql, params }], readOnly: true, maxRows };
}

function write(statements: (string | [string, unknown[]])[], maxRows = 100): ExecuteRequest {
  return {
    statements: statements.map((s) => (typeof s === 'string' ? { sql: s, params: [] } : { sql: s[0], params: s[1] })),
    readOnly: false,
    maxRows,
  };
}

function firstCell(result: ExecutionResult): unknown {
  return result.rows[0]?.[0];
}

/** A TCP server that accepts connections and never answers: connecting to it can only time out. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function key(): string {
  return `ds-${randomBytes(6).toString('hex')}`;
}

// ------------------------------------------------------------------------------------------------------------
// Both engines: the same behaviour, in each one's SQL.
// ------------------------------------------------------------------------------------------------------------

interface Target {
  label: string;
  engine: Engine;
  spec(overrides?: Partial<ConnectionSpec>): ConnectionSpec;
  /** Placeholder n (1-based). */
  p(n: number): string;
  sleep(seconds: number): string;
  /** One cell: the server-side id of the connection. */
  connectionId: string;
  /** Whether the server still has connection `id` open. */
  isOpen(id: unknown): Promise<boolean>;
  readOnlyCode: string;
  timeoutCode: string;
  versionPattern: RegExp;
}

const targets: Target[] = [];
let postgresAdmin: pg.Client;
let mariadbAdmin: mysql.Connection;
let mariadbDatabase: string;

beforeAll(async () => {
  const postgresUrl = new URL(await createPostgresDatabase(inject('postgresUrl')));
  postgresAdmin = new pg.Client({ connectionString: inject('postgresUrl') });
  await postgresAdmin.connect();
  const postgresSpec: ConnectionSpec = {
    host: postgresUrl.hostname,
    port: Number(postgresUrl.port),
    database: decodeURIComponent(postgresUrl.pathname.slice(1)),
    username: decodeURIComponent(postgresUrl.username),
    password: '',
    sslMode: 'DISABLE', sslRootCertificate: null,
    poolSize: 1,
    statementTimeoutMs: 5_000,
    connectTimeoutMs: 5_000,
  };

  const mariadbUrl = new URL(inject('mariadbUrl'));
  mariadbDatabase = `engines_${randomBytes(6).toString('hex')}`;
  mariadbAdmin = await mysql.createConnection(inject('mariadbUrl'));
  await mariadbAdmin.query(`CREATE DATABASE ${mariadbDatabase}`);
  const mariadbSpec: ConnectionSpec = {
    host: mariadbUrl.hostname,
    port: Number(mariadbUrl.port),
    database: mariadbDatabase,
    username: decodeURIComponent(mariadbUrl.username),
    password: decodeURIComponent(mariadbUrl.password),
    sslMode: 'DISABLE', sslRootCertificate: null,
    poolSize: 1,
    statementTimeoutMs: 5_000,
    connectTimeoutMs: 5_000,
  };

  targets.push(
    {
      label: 'PostgreSQL',
      engine: new PostgresEngine(),
      spec: (overrides = {}) => ({ ...postgresSpec, ...overrides }),
      p: (n) => `$${n}`,
      sleep: (seconds) => `SELECT pg_sleep(${seconds})`,
      connectionId: 'SELECT pg_backend_pid()',
      isOpen: async (id) => (await postgresAdmin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [id])).rowCount === 1,
      readOnlyCode: '25006',
      timeoutCode: '57014',
      versionPattern: /^15\.\d+/,
    },
    {
      label: 'MariaDB',
      engine: new MysqlEngine('MARIADB'),
      spec: (overrides = {}) => ({ ...mariadbSpec, ...overrides }),
      p: () => '?',
      sleep: (seconds) => `SELECT SLEEP(${seconds})`,
      connectionId: 'SELECT CONNECTION_ID()',
      isOpen: async (id) => {
        const [rows] = await mariadbAdmin.query<mysql.RowDataPacket[]>('SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = ?', [id]);
        return rows.length === 1;
      },
      readOnlyCode: 'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION:1792',
      timeoutCode: '1969',
      versionPattern: /MariaDB/,
    },
  );
});

afterAll(async () => {
  await Promise.all(targets.map((t) => t.engine.close()));
  await postgresAdmin?.end();
  if (mariadbAdmin) {
    await mariadbAdmin.query(`DROP DATABASE IF EXISTS ${mariadbDatabase}`);
    await mariadbAdmin.end();
  }
});

function target(label: string): Target {
  const found = targets.find((t) => t.label === label);
  if (!found) throw new Error(`no target ${label}`);
  return found;
}

describe.each(['PostgreSQL', 'MariaDB'])('%s engine', (label) => {
  it('tests a connection: server version and latency', async () => {
    const t = target(label);
    const check = await t.engine.testConnection(t.spec());
    expect(check.serverVersion).toMatch(t.versionPattern);
    expect(check.latencyMs).toBeGreaterThanOrEqual(0);
    expect(check.latencyMs).toBeLessThan(5_000);
  });

  it('reads typed columns and rows, parameters bound', async () => {
    const t = target(label);
    const poolKey = key();
    await t.engine.execute(poolKey, t.spec(), write(['CREATE TABLE people (id INT PRIMARY KEY, name VARCHAR(50), note TEXT)']));
    const sneaky = `O'Brien"; DROP TABLE people; --`;
    const inserted = await t.engine.execute(
      poolKey,
      t.spec(),
      write([[`INSERT INTO people (id, name, note) VALUES (${t.p(1)}, ${t.p(2)}, ${t.p(3)}), (2, 'Ada', NULL)`, [1, sneaky, 'x']]]),
    );
    expect(inserted.rowsAffected).toBe(2);
    const result = await t.engine.execute(poolKey, t.spec(), read(`SELECT id, name, note FROM people WHERE id >= ${t.p(1)} ORDER BY id`, [1]));
    expect(result.columns.map((c) => c.name)).toEqual(['id', 'name', 'note']);
    expect(result.columns.map((c) => c.type)).toEqual(label === 'PostgreSQL' ? ['int4', 'varchar', 'text'] : ['int', 'varchar', 'text']);
    expect(result.rows).toEqual([
      [1, sneaky, 'x'],
      [2, 'Ada', null],
    ]);
    expect(result).toMatchObject({ rowCount: 2, truncated: false, rowsAffected: null });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('caps the rows at maxRows and says when more existed', async () => {
    const t = target(label);
    const poolKey = key();
    await t.engine.execute(poolKey, t.spec(), write(['CREATE TABLE fifty (n INT)']));
    const values = Array.from({ length: 50 }, (_, i) => `(${i + 1})`).join(', ');
    expect((await t.engine.execute(poolKey, t.spec(), write([`INSERT INTO fifty (n) VALUES ${values}`]))).rowsAffected).toBe(50);

    const capped = await t.engine.execute(poolKey, t.spec(), read('SELECT n FROM fifty ORDER BY n', [], 10));
    expect(capped.rows).toEqual(Array.from({ length: 10 }, (_, i) => [i + 1]));
    expect(capped).toMatchObject({ rowCount: 10, truncated: true });

    expect(await t.engine.execute(poolKey, t.spec(), read('SELECT n FROM fifty', [], 50))).toMatchObject({ rowCount: 50, truncated: false });
    expect(await t.engine.execute(poolKey, t.spec(), read('SELECT n FROM fifty', [], 49))).toMatchObject({ rowCount: 49, truncated: true });
    expect(await t.engine.execute(poolKey, t.spec(), read('SELECT n FROM fifty', [], 0))).toMatchObject({ rowCount: 0, truncated: true });
    // Its own LIMIT above the cap (on MySQL/MariaDB not covered by sql_select_limit: streamed and discarded).
    const ownLimit = await t.engine.execute(poolKey, t.spec(), read('SELECT n FROM fifty ORDER BY n LIMIT 40', [], 10));
    expect(ownLimit).toMatchObject({ rowCount: 10, truncated: true });
    expect(ownLimit.rows.at(-1)).toEqual([10]);
    // In a write request too, and the request still commits.
    const inWrite = await t.engine.execute(poolKey, t.spec(), write(['UPDATE fifty SET n = n WHERE n = 1', 'SELECT n FROM fifty ORDER BY n LIMIT 30'], 5));
    expect(inWrite).toMatchObject({ rowCount: 5, truncated: true, rowsAffected: 1 });
  });

  it('never computes the rows beyond the cap', async () => {
    const t = target(label);
    // 200 rows of 50 ms each would take 10 s; only maxRows + 1 of them may be produced.
    const sql =
      label === 'PostgreSQL'
        ? 'SELECT n, pg_sleep(0.05) FROM generate_series(1, 200) AS n'
        : 'SELECT seq, SLEEP(0.05) FROM seq_1_to_200';
    const startedAt = Date.now();
    const result = await t.engine.execute(key(), t.spec(), read(sql, [], 3));
    expect(Date.now() - startedAt).toBeLessThan(3_000);
    expect(result).toMatchObject({ rowCount: 3, truncated: true });
    expect(result.rows.map((row) => Number(row[0]))).toEqual([1, 2, 3]); // seq is a BIGINT (a string) on MariaDB
  });

  it('reports a connection killed during a request as CONNECTION, and the pool recovers', async () => {
    const t = target(label);
    const poolKey = key();
    const id = firstCell(await t.engine.execute(poolKey, t.spec(), read(t.connectionId)));
    const running = failure(t.engine.execute(poolKey, t.spec(), read(t.sleep(3))));
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (label === 'PostgreSQL') await postgresAdmin.query('SELECT pg_terminate_backend($1)', [id]);
    else await mariadbAdmin.query(`KILL CONNECTION ${Number(id)}`);
    const error = await running;
    expect(error.kind).toBe('CONNECTION');
    const next = firstCell(await t.engine.execute(poolKey, t.spec(), read(t.connectionId)));
    expect(next).not.toEqual(id);
  });

  it('gives up waiting for a busy pool as TIMEOUT', async () => {
    const t = target(label);
    const poolKey = key();
    // Waiting for a pooled connection is bounded by connect timeout + statement timeout = 500 ms here.
    const spec = t.spec({ poolSize: 1, connectTimeoutMs: 200, statementTimeoutMs: 300 });
    await t.engine.execute(poolKey, spec, read('SELECT 1'));
    const busy = t.engine.execute(poolKey, spec, write([t.sleep(0.25), t.sleep(0.25), t.sleep(0.25), t.sleep(0.25)]));
    await new Promise((resolve) => setTimeout(resolve, 150));
    const waiting = await failure(t.engine.execute(poolKey, spec, read('SELECT 1')));
    expect(waiting.kind).toBe('TIMEOUT');
    expect(waiting.message).toMatch(/no connection of the pool \(1\) became free within 500 ms/);
    await busy;
    expect(firstCell(await t.engine.execute(poolKey, spec, read('SELECT 2')))).toBe(2);
  });

  it('refuses writes in a read-only request, and nothing changes', async () => {
    const t = target(label);
    const poolKey = key();
    await t.engine.execute(poolKey, t.spec(), write(['CREATE TABLE guarded (n INT)', 'INSERT INTO guarded VALUES (1)']));
    const insert = await failure(t.engine.execute(poolKey, t.spec(), read('INSERT INTO guarded VALUES (2)')));
    expect(insert).toMatchObject({ kind: 'QUERY', code: t.readOnlyCode });
    const ddl = await failure(t.engine.execute(poolKey, t.spec(), read('CREATE TABLE sneaky (n INT)')));
    expect(ddl).toMatchObject({ kind: 'QUERY', code: t.readOnlyCode });
    const count = await t.engine.execute(poolKey, t.spec(), read('SELECT COUNT(*) FROM guarded'));
    expect(String(firstCell(count))).toBe('1');
    const tables = await t.engine.execute(
      poolKey,
      t.spec(),
      read(`SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'sneaky'`),
    );
    expect(String(firstCell(tables))).toBe('0');
  });

  it('stops a read-only request at a statement that ends the transaction', async () => {
    const t = target(label);
    const poolKey = key();
    await t.engine.execute(poolKey, t.spec(), write(['CREATE TABLE escape (n INT)']));
    const request: ExecuteRequest = {
      statements: [
        { sql: 'SELECT 1', params: [] },
        { sql: 'COMMIT', params: [] },
        { sql: 'INSERT INTO escape VALUES (1)', params: [] },
      ],
      readOnly: true,
      maxRows: 10,
    };
    const error = await failure(t.engine.execute(poolKey, t.spec(), request));
    expect(error.kind).toBe('QUERY');
    expect(error.message).toMatch(/statement 2 ended the/);
    expect(String(firstCell(await t.engine.execute(poolKey, t.spec(), read('SELECT COUNT(*) FROM escape'))))).toBe('0');
  });

  it('commits a write and reports the rows affected', async () => {
    const t = target(label);
    const poolKey = key();
    const created = await t.engine.execute(poolKey, t.spec(), write(['CREATE TABLE ledger (id INT PRIMARY KEY, amount INT)']));
    expect(created).toMatchObject({ rowsAffected: 0, columns: [], rows: [], truncated: false });
    const result = await t.engine.execute(
      poolKey,
      t.spec(),
      write(['INSERT INTO ledger VALUES (1, 10), (2, 20), (3, 30)', 'UPDATE ledger SET amount = amount + 1 WHERE id >= 2', 'DELETE FROM ledger WHERE id = 1']),
    );
    expect(result.rowsAffected).toBe(6);
    const after = await t.engine.execute(key(), t.spec({ poolSize: 2 }), read('SELECT id, amount FROM ledger ORDER BY id'));
    expect(after.rows).toEqual([
      [2, 21],
      [3, 31],
    ]);
  });

  it('runs a multi-statement write atomically: a failing statement rolls back the ones before', async () => {
    const t = target(label);
    const poolKey = key();
    await t.engine.execute(poolKey, t.spec(), write(['CREATE TABLE atomic (id INT PRIMARY KEY)', 'INSERT INTO atomic VALUES (1)']));
    const error = await failure(
      t.engine.execute(poolKey, t.spec(), write(['INSERT INTO atomic VALUES (2)', 'INSERT INTO atomic VALUES (1)', 'INSERT INTO atomic VALUES (3)'])),
    );
    expect(error.kind).toBe('QUERY');
    expect(error.code).toBe(label === 'PostgreSQL' ? '23505' : 'ER_DUP_ENTRY:1062');
    const rows = await t.engine.execute(poolKey, t.spec(), read('SELECT id FROM atomic ORDER BY id'));
    expect(rows.rows).toEqual([[1]]);
  });

  it('times a statement out, and the pooled connection stays usable', async () => {
    const t = target(label);
    const poolKey = key();
    const spec = t.spec({ statementTimeoutMs: 500 });
    const before = firstCell(await t.engine.execute(poolKey, spec, read(t.connectionId)));
    const startedAt = Date.now();
    const error = await failure(t.engine.execute(poolKey, spec, read(t.sleep(5))));
    expect(Date.now() - startedAt).toBeLessThan(4_000);
    // The server's own timeout (its message), not the watchdog's cancel.
    expect(error).toMatchObject({ kind: 'TIMEOUT', code: t.timeoutCode });
    expect(error.message).toBe(
      label === 'PostgreSQL' ? 'canceling statement due to statement timeout' : 'Query execution was interrupted (max_statement_time exceeded)',
    );
    const after = await t.engine.execute(poolKey, spec, read(`${t.connectionId}, 1 + 1`));
    expect(after.rows).toEqual([[before, 2]]);
    // A write times out the same way and rolls back.
    await t.engine.execute(poolKey, spec, write(['CREATE TABLE slow (n INT)']));
    const writeError = await failure(t.engine.execute(poolKey, spec, write(['INSERT INTO slow VALUES (1)', t.sleep(5)])));
    expect(writeError.kind).toBe('TIMEOUT');
    expect(String(firstCell(await t.engine.execute(poolKey, spec, read('SELECT COUNT(*) FROM slow'))))).toBe('0');
  });

  it('backs the server timeout with a watchdog when a statement escapes it', async () => {
    const t = target(label);
    const poolKey = key();
    const spec = t.spec({ statementTimeoutMs: 500 });
    const before = firstCell(await t.engine.execute(poolKey, spec, read(t.connectionId)));
    // The statement switches the server-side timeout off for itself.
    const escape =
      label === 'PostgreSQL'
        ? write(['SET LOCAL statement_timeout = 0', t.sleep(6)])
        : write(['SET STATEMENT max_statement_time = 0 FOR SELECT SLEEP(6)']);
    const startedAt = Date.now();
    const error = await failure(t.engine.execute(poolKey, spec, escape));
    const took = Date.now() - startedAt;
    expect(error.kind).toBe('TIMEOUT');
    expect(took).toBeGreaterThanOrEqual(1_500); // timeout + WATCHDOG_GRACE_MS
    expect(took).toBeLessThan(5_500); // the statement alone would take 6 s
    // The connection the watchdog acted on is not reused; the pool opens a new one.
    const after = firstCell(await t.engine.execute(poolKey, spec, read(t.connectionId)));
    expect(after).not.toEqual(before);
    await waitUntil(async () => !(await t.isOpen(before)), 5_000, 'the old connection to close');
  });

  it('returns the connection unchanged: nothing a request set survives it', async () => {
    const t = target(label);
    const poolKey = key();
    // No statement timeout: the engine then sets nothing the check below could not see past.
    const spec = t.spec({ statementTimeoutMs: 0 });
    const id = firstCell(await t.engine.execute(poolKey, spec, read(t.connectionId)));
    await t.engine.execute(poolKey, spec, read('SELECT 1'));
    if (label === 'PostgreSQL') {
      // A read request: its READ ONLY transaction does not outlive it.
      const state = await t.engine.execute(
        poolKey,
        spec,
        write([`SELECT current_setting('transaction_read_only'), current_setting('default_transaction_read_only'), current_setting('statement_timeout'), pg_backend_pid()`]),
      );
      expect(state.rows).toEqual([['off', 'off', '0', id]]);
      // Whatever statements do to the session is undone.
      await t.engine.execute(
        poolKey,
        spec,
        write([
          `SELECT set_config('statement_timeout', '1234s', false)`,
          `SET search_path = nowhere`,
          `SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY`,
          `SELECT pg_advisory_lock(4242)`,
          `CREATE TEMPORARY TABLE scratch (n INT)`,
          `SET ROLE pg_read_all_data`,
        ]),
      );
      const sessionState = `SELECT current_setting('statement_timeout'), current_setting('search_path'), current_setting('default_transaction_read_only'),
                  current_user::text, (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid())::int,
                  (SELECT count(*) FROM pg_prepared_statements WHERE from_sql)::int, to_regclass('pg_temp.scratch') IS NULL, pg_backend_pid()`;
      const after = await t.engine.execute(poolKey, spec, write([sessionState]));
      // search_path reads `public` because every request pins it (SET LOCAL), not because the leak survived.
      expect(after.rows).toEqual([['0', 'public', 'off', 'postgres', 0, 0, true, id]]);
      // A statement prepared by SQL is not reset away: the connection it was made on is closed instead.
      await t.engine.execute(poolKey, spec, write([`PREPARE leftover AS SELECT 1`]));
      const replaced = await t.engine.execute(poolKey, spec, write([sessionState]));
      expect(replaced.rows[0]!.slice(0, 7)).toEqual(['0', 'public', 'off', 'postgres', 0, 0, true]);
      expect(replaced.rows[0]![7]).not.toBe(id);
      await waitUntil(async () => !(await t.isOpen(id)), 5_000, 'the connection with a prepared statement to close');
      // And with a statement timeout configured, it applies inside the request (SET LOCAL).
      const timed = await t.engine.execute(key(), t.spec({ statementTimeoutMs: 1_500 }), read(`SELECT current_setting('statement_timeout'), current_setting('transaction_read_only')`));
      expect(timed.rows).toEqual([['1500ms', 'on']]);
    } else {
      // A read request: its READ ONLY session characteristic does not outlive it.
      const state = await t.engine.execute(poolKey, spec, write([`SELECT @@session.tx_read_only, @@session.max_statement_time, CONNECTION_ID()`]));
      expect(state.rows).toEqual([['0', 0, id]]);
      await t.engine.execute(
        poolKey,
        spec,
        write([
          `SET @leftover = 42`,
          `SET SESSION sql_mode = 'ANSI_QUOTES'`,
          `SET SESSION max_statement_time = 99`,
          `SET SESSION TRANSACTION READ ONLY`,
          `SELECT GET_LOCK('engines_test_lock', 0)`,
          `CREATE TEMPORARY TABLE scratch (n INT)`,
          `PREPARE leftover FROM 'SELECT 1'`,
        ]),
      );
      const after = await t.engine.execute(
        poolKey,
        spec,
        write([
          `SELECT @leftover, @@session.sql_mode = @@global.sql_mode, @@session.max_statement_time, @@session.tx_read_only,
                  IS_USED_LOCK('engines_test_lock') IS NULL, CONNECTION_ID()`,
        ]),
      );
      expect(after.rows).toEqual([[null, 1, 0, '0', 1, id]]);
      const scratch = await failure(t.engine.execute(poolKey, spec, read('SELECT * FROM scratch')));
      expect(scratch.code).toBe('ER_NO_SUCH_TABLE:1146');
      const prepared = await failure(t.engine.execute(poolKey, spec, write(['EXECUTE leftover'])));
      expect(prepared.code).toBe('ER_UNKNOWN_STMT_HANDLER:1243');
      // The row cap (sql_select_limit) set for one request is gone for the next: seen by its first statement.
      const limit = await t.engine.execute(poolKey, spec, write(['SET @limit_seen = @@session.sql_select_limit', 'SELECT @limit_seen, @@session.autocommit'], 3));
      expect(limit.rows).toEqual([['18446744073709551615', '0']]);
      // What COM_RESET_CONNECTION does not undo (USE, SET ROLE) makes the engine close the connection.
      const role = `engines_role_${randomBytes(4).toString('hex')}`;
      await mariadbAdmin.query(`CREATE ROLE ${role}`);
      await mariadbAdmin.query(`GRANT ${role} TO CURRENT_USER`);
      let previous = id;
      for (const statement of ['USE mysql', `SET ROLE ${role}`]) {
        await t.engine.execute(poolKey, spec, read(statement));
        const [database, currentRole, connection] = (await t.engine.execute(poolKey, spec, read('SELECT DATABASE(), CURRENT_ROLE(), CONNECTION_ID()'))).rows[0] ?? [];
        expect([database, currentRole]).toEqual([mariadbDatabase, null]);
        expect(connection).not.toEqual(previous);
        previous = connection;
      }
      await mariadbAdmin.query(`DROP ROLE ${role}`);
      // And with a statement timeout configured, it applies inside the request.
      const timed = await t.engine.execute(key(), t.spec({ statementTimeoutMs: 1_500 }), read('SELECT @@session.max_statement_time, @@session.tx_read_only'));
      expect(timed.rows).toEqual([[1.5, '1']]);
    }
  });

  it('reports a server that is down as CONNECTION', async () => {
    const t = target(label);
    const port = await freePort();
    const error = await failure(t.engine.execute(key(), t.spec({ port }), read('SELECT 1')));
    expect(error).toMatchObject({ kind: 'CONNECTION', code: 'ECONNREFUSED' });
    expect(await failure(t.engine.testConnection(t.spec({ port })))).toMatchObject({ kind: 'CONNECTION', code: 'ECONNREFUSED' });
  });

  it('reports a server that never answers as CONNECTION after the connect timeout', async () => {
    const t = target(label);
    const silent = await silentServer();
    try {
      const startedAt = Date.now();
      const error = await failure(t.engine.execute(key(), t.spec({ port: silent.port, connectTimeoutMs: 300 }), read('SELECT 1')));
      expect(error.kind).toBe('CONNECTION');
      expect(error.message).toContain('within 300 ms');
      expect(Date.now() - startedAt).toBeLessThan(3_000);
      expect(await failure(t.engine.testConnection(t.spec({ port: silent.port, connectTimeoutMs: 300 })))).toMatchObject({ kind: 'CONNECTION' });
    } finally {
      await silent.close();
    }
  });

  it('lets concurrent requests beyond the pool size all complete', async () => {
    const t = target(label);
    const poolKey = key();
    const spec = t.spec({ poolSize: 2 });
    const results = await Promise.all(
      Array.from({ length: 7 }, (_, i) => t.engine.execute(poolKey, spec, read(`${t.sleep(0.15)}, ${t.connectionId.replace('SELECT ', '')}, ${i}`))),
    );
    expect(results.map((r) => r.rows[0]?.[2])).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(new Set(results.map((r) => r.rows[0]?.[1])).size).toBeLessThanOrEqual(2);
  });

  it('recreates the pool after evict and when the spec changes', async () => {
    const t = target(label);
    const poolKey = key();
    const first = firstCell(await t.engine.execute(poolKey, t.spec(), read(t.connectionId)));
    expect(firstCell(await t.engine.execute(poolKey, t.spec(), read(t.connectionId)))).toEqual(first);
    await t.engine.evict(poolKey);
    // evict() resolves once the driver closed the connection; the server notices a moment later.
    await waitUntil(async () => !(await t.isOpen(first)), 5_000, 'the evicted connection to close');
    const second = firstCell(await t.engine.execute(poolKey, t.spec(), read(t.connectionId)));
    expect(second).not.toEqual(first);
    const changed = t.spec({ statementTimeoutMs: 4_000 });
    const third = firstCell(await t.engine.execute(poolKey, changed, read(t.connectionId)));
    expect(third).not.toEqual(second);
    await waitUntil(async () => !(await t.isOpen(second)), 5_000, 'the replaced pool to close its connection');
    expect(firstCell(await t.engine.execute(poolKey, changed, read(t.connectionId)))).toEqual(third);
    await t.engine.evict('never-used');
  });

  it('lets in-flight requests finish when their pool is replaced', async () => {
    const t = target(label);
    const poolKey = key();
    const slow = t.engine.execute(poolKey, t.spec(), read(`${t.sleep(0.5)}, 'done'`));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const replaced = t.engine.execute(poolKey, t.spec({ poolSize: 2 }), read('SELECT 1'));
    const [slowResult, replacedResult] = await Promise.all([slow, replaced]);
    expect(slowResult.rows[0]?.[1]).toBe('done');
    expect(firstCell(replacedResult)).toBe(1);
  });

  it('keeps the password out of error messages', async () => {
    const t = target(label);
    const password = label === 'PostgreSQL' ? 'pw-4f8a9c-secret' : t.spec().password;
    // PostgreSQL trusts every connection here, so any password works and the query runs.
    const spec = t.spec({ password });
    const quote = label === 'PostgreSQL' ? '"' : '`';
    const error = await failure(t.engine.execute(key(), spec, read(`SELECT * FROM ${quote}${password}${quote}`)));
    expect(error.kind).toBe('QUERY');
    expect(error.message).not.toContain(password);
    expect(error.message).toContain('********');
  });

  it('rejects an empty statement list and a bad maxRows', async () => {
    const t = target(label);
    await expect(t.engine.execute(key(), t.spec(), { statements: [], readOnly: true, maxRows: 10 })).rejects.toThrow(TypeError);
    await expect(t.engine.execute(key(), t.spec(), read('SELECT 1', [], -1))).rejects.toThrow(TypeError);
  });
});

// ------------------------------------------------------------------------------------------------------------
// Engine specifics
// ------------------------------------------------------------------------------------------------------------

describe('PostgreSQL engine specifics', () => {
  it('reports an authentication failure as AUTHENTICATION (a role that does not exist; the cluster trusts passwords)', async () => {
    const t = target('PostgreSQL');
    const spec = t.spec({ username: 'no_such_role', password: 'irrelevant-secret' });
    const error = await failure(t.engine.execute(key(), spec, read('SELECT 1')));
    expect(error).toMatchObject({ kind: 'AUTHENTICATION', code: '28000', message: 'role "no_such_role" does not exist' });
    expect(await failure(t.engine.testConnection(spec))).toMatchObject({ kind: 'AUTHENTICATION', code: '28000' });
  });

  it('reports a missing database as CONNECTION', async () => {
    const t = target('PostgreSQL');
    const error = await failure(t.engine.testConnection(t.spec({ database: 'no_such_database' })));
    expect(error).toMatchObject({ kind: 'CONNECTION', code: '3D000' });
  });

  it('converts values to JSON-safe primitives', async () => {
    const t = target('PostgreSQL');
    const result = await t.engine.execute(
      key(),
      t.spec(),
      read(`SELECT true AS b, 2::int2 AS i2, 2147483647 AS i4, 9007199254740993::int8 AS i8, 12.50::numeric(10,2) AS num,
                   1.5::float8 AS f8, 'NaN'::float8 AS nan, 0.1::float4 AS f4, '2024-01-02 05:04:05.123456+02'::timestamptz AS tstz,
                   '2024-01-02 03:04:05.5'::timestamp AS ts, '2024-02-29'::date AS d, '12:30'::time AS t, '\\x0102ff'::bytea AS bytes,
                   '{"b": 1, "a": [1, 2]}'::jsonb AS jb, '{"z": 1,  "z": 2}'::json AS j, ARRAY[1, 2, 3] AS arr,
                   '6f1d5c2e-1b2a-4c3d-9e8f-0a1b2c3d4e5f'::uuid AS id, NULL::text AS nothing, 'infinity'::timestamptz AS inf,
                   '1 day 02:00'::interval AS iv, $1::text AS param`, ['bound']),
    );
    const row = Object.fromEntries(result.columns.map((c, i) => [c.name, [c.type, result.rows[0]?.[i]]]));
    expect(row).toEqual({
      b: ['bool', true],
      i2: ['int2', 2],
      i4: ['int4', 2147483647],
      i8: ['int8', '9007199254740993'],
      num: ['numeric', '12.50'],
      f8: ['float8', 1.5],
      nan: ['float8', 'NaN'],
      f4: ['float4', 0.1],
      tstz: ['timestamptz', '2024-01-02T03:04:05.123456Z'],
      ts: ['timestamp', '2024-01-02T03:04:05.5'],
      d: ['date', '2024-02-29'],
      t: ['time', '12:30:00'],
      bytes: ['bytea', 'AQL/'],
      jb: ['jsonb', '{"a": [1, 2], "b": 1}'],
      j: ['json', '{"z": 1,  "z": 2}'],
      arr: ['_int4', '{1,2,3}'],
      id: ['uuid', '6f1d5c2e-1b2a-4c3d-9e8f-0a1b2c3d4e5f'],
      nothing: ['text', null],
      inf: ['timestamptz', 'infinity'],
      iv: ['interval', '1 day 02:00:00'],
      param: ['text', 'bound'],
    });
    expect(JSON.parse(JSON.stringify(result.rows))).toEqual(result.rows);
  });

  it('reads the same formats whatever the database settings, and keeps its day/month order for input', async () => {
    const t = target('PostgreSQL');
    const url = new URL(await createPostgresDatabase(inject('postgresUrl')));
    const database = decodeURIComponent(url.pathname.slice(1));
    await postgresAdmin.query(
      `ALTER DATABASE ${pg.escapeIdentifier(database)} SET DateStyle = 'SQL, DMY'; ALTER DATABASE ${pg.escapeIdentifier(database)} SET TimeZone = 'Asia/Kolkata'; ALTER DATABASE ${pg.escapeIdentifier(database)} SET bytea_output = 'escape'`,
    );
    const result = await t.engine.execute(
      key(),
      t.spec({ database }),
      read(`SELECT '01/02/2024'::date, '2024-01-02 05:04:05.25+02'::timestamptz, '2024-01-02 05:04:05'::timestamp, '\\x01ff'::bytea, current_setting('TimeZone')`),
    );
    expect(result.rows).toEqual([['2024-02-01', '2024-01-02T03:04:05.25Z', '2024-01-02T05:04:05', 'Af8=', 'Asia/Kolkata']]);
  });

  it('names user-defined types and reports where columns come from', async () => {
    const t = target('PostgreSQL');
    const poolKey = key();
    await t.engine.execute(
      poolKey,
      t.spec(),
      write([
        `CREATE TYPE mood AS ENUM ('ok', 'great')`,
        `CREATE TABLE patients (id INT, ssn TEXT, feeling mood)`,
        `INSERT INTO patients VALUES (1, '123-45-6789', 'great')`,
        `CREATE VIEW patients_view AS SELECT id, ssn AS hidden FROM patients`,
      ]),
    );
    const result = await t.engine.execute(
      poolKey,
      t.spec(),
      read(`SELECT p.id, p.ssn AS alias, upper(p.ssn) AS computed, p.feeling, q.ssn AS nested, v.hidden
              FROM patients p, (SELECT ssn FROM patients) q, patients_view v`),
    );
    expect(result.columns).toEqual([
      { name: 'id', type: 'int4', source: { schema: 'public', table: 'patients', column: 'id' } },
      { name: 'alias', type: 'text', source: { schema: 'public', table: 'patients', column: 'ssn' } },
      { name: 'computed', type: 'text', source: null },
      { name: 'feeling', type: 'mood', source: { schema: 'public', table: 'patients', column: 'feeling' } },
      { name: 'nested', type: 'text', source: { schema: 'public', table: 'patients', column: 'ssn' } },
      { name: 'hidden', type: 'text', source: null },
    ]);
    expect(result.rows).toEqual([[1, '123-45-6789', '123-45-6789', 'great', '123-45-6789', '123-45-6789']]);
  });

  it('reports column sources as they are when a text runs again after the tables changed', async () => {
    // A read's catalog lookup rides in its round trip, asking for the columns the same text returned last time:
    // after a rename, a dropped and re-created table, or a view replacing a table, the answer must be the new truth.
    const t = target('PostgreSQL');
    const poolKey = key();
    const sql = 'SELECT id, ssn FROM sp_people';
    const sourcesOf = async () => (await t.engine.execute(poolKey, t.spec(), read(sql))).columns.map((c) => c.source);
    await t.engine.execute(poolKey, t.spec(), write(['CREATE TABLE sp_people (id INT, ssn TEXT)', 'CREATE TABLE sp_vault (id INT, ssn TEXT)']));
    const people = (column: string) => ({ schema: 'public', table: 'sp_people', column });
    expect(await sourcesOf()).toEqual([people('id'), people('ssn')]);
    expect(await sourcesOf()).toEqual([people('id'), people('ssn')]);

    await t.engine.execute(poolKey, t.spec(), write(['ALTER TABLE sp_people RENAME COLUMN ssn TO tax_id', 'ALTER TABLE sp_people ADD COLUMN ssn TEXT']));
    expect(await sourcesOf()).toEqual([people('id'), people('ssn')]);

    await t.engine.execute(poolKey, t.spec(), write(['ALTER TABLE sp_people RENAME TO sp_old', 'CREATE TABLE sp_people (ssn TEXT, id INT)']));
    expect(await sourcesOf()).toEqual([people('id'), people('ssn')]);

    await t.engine.execute(poolKey, t.spec(), write(['DROP TABLE sp_people', 'CREATE VIEW sp_people AS SELECT id, ssn FROM sp_vault']));
    expect(await sourcesOf()).toEqual([null, null]);
    await t.engine.execute(poolKey, t.spec(), write(['DROP VIEW sp_people', 'ALTER TABLE sp_vault RENAME TO sp_people']));
    expect(await sourcesOf()).toEqual([people('id'), people('ssn')]);
  });

  it('returns the rows of INSERT … RETURNING and counts them', async () => {
    const t = target('PostgreSQL');
    const poolKey = key();
    await t.engine.execute(poolKey, t.spec(), write(['CREATE TABLE serials (id SERIAL PRIMARY KEY, v TEXT)']));
    const result = await t.engine.execute(poolKey, t.spec(), write([["INSERT INTO serials (v) VALUES ($1), ($2) RETURNING id, v", ['a', 'b']]]));
    expect(result).toMatchObject({ rows: [[1, 'a'], [2, 'b']], rowsAffected: 2, truncated: false });
  });

  it('refuses several statements in one text (no multi-statement smuggling)', async () => {
    const t = target('PostgreSQL');
    const error = await failure(t.engine.execute(key(), t.spec(), read('SELECT 1; SELECT 2')));
    expect(error).toMatchObject({ kind: 'QUERY', code: '42601' });
  });

  it('refuses COPY FROM STDIN and keeps the connection usable', async () => {
    const t = target('PostgreSQL');
    const poolKey = key();
    await t.engine.execute(poolKey, t.spec(), write(['CREATE TABLE copied (n INT)']));
    const error = await failure(t.engine.execute(poolKey, t.spec(), write(['COPY copied FROM STDIN'])));
    expect(error.kind).toBe('QUERY');
    expect(error.message).toContain('COPY FROM STDIN is not supported');
    expect(firstCell(await t.engine.execute(poolKey, t.spec(), read('SELECT 7')))).toBe(7);
  });
});

describe('MariaDB engine specifics', () => {
  it('reports a wrong password as AUTHENTICATION, with the server message and without the password', async () => {
    const t = target('MariaDB');
    const spec = t.spec({ password: 'wrong-password-5c1e' });
    const error = await failure(t.engine.execute(key(), spec, read('SELECT 1')));
    expect(error.kind).toBe('AUTHENTICATION');
    expect(error.code).toBe('ER_ACCESS_DENIED_ERROR:1045');
    expect(error.message).toMatch(/^Access denied for user 'accessflow'@'[^']+' \(using password: YES\)$/);
    expect(error.message).not.toContain('wrong-password-5c1e');
    expect(await failure(t.engine.testConnection(spec))).toMatchObject({ kind: 'AUTHENTICATION', code: 'ER_ACCESS_DENIED_ERROR:1045' });
  });

  it('reports a missing database as CONNECTION', async () => {
    const t = target('MariaDB');
    const error = await failure(t.engine.testConnection(t.spec({ database: 'no_such_database' })));
    expect(error).toMatchObject({ kind: 'CONNECTION', code: 'ER_BAD_DB_ERROR:1049' });
  });

  it('converts values to JSON-safe primitives, alike in the text and the binary protocol', async () => {
    const t = target('MariaDB');
    const poolKey = key();
    await t.engine.execute(
      poolKey,
      t.spec(),
      write([
        `CREATE TABLE typed (i INT, u INT UNSIGNED, b BIGINT, d DECIMAL(10,2), f FLOAT, db DOUBLE, dt DATETIME(6), ts TIMESTAMP(3) NULL,
                             da DATE, tm TIME, y YEAR, bi BIT(3), bl BLOB, tx TEXT, vb VARBINARY(4), j JSON, e ENUM('a','b'),
                             c CHAR(2), z DATETIME NULL)`,
        `INSERT INTO typed VALUES (1, 4294967295, 9007199254740993, 12.50, 0.1, 0.1, '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.123',
                                   '2024-02-29', '-12:00:01', 2024, b'101', x'0102ff', 'héllo', x'00ff', '{"b": 1}', 'b', 'ab', NULL)`,
      ]),
    );
    const expected = {
      i: ['int', 1],
      u: ['int unsigned', 4294967295],
      b: ['bigint', '9007199254740993'],
      d: ['decimal', '12.50'],
      f: ['float', 0.1],
      db: ['double', 0.1],
      dt: ['datetime', '2024-01-02T03:04:05.123456'],
      ts: ['timestamp', '2024-01-02T03:04:05.123'],
      da: ['date', '2024-02-29'],
      tm: ['time', '-12:00:01'],
      y: ['year', 2024],
      bi: ['bit', 5],
      bl: ['blob', 'AQL/'],
      tx: ['text', 'héllo'],
      vb: ['varbinary', 'AP8='],
      j: ['json', '{"b": 1}'],
      e: ['enum', 'b'],
      c: ['char', 'ab'],
      z: ['datetime', null],
    };
    for (const params of [[], [1]]) {
      const sql = params.length > 0 ? 'SELECT * FROM typed WHERE i = ?' : 'SELECT * FROM typed';
      const result = await t.engine.execute(poolKey, t.spec(), read(sql, params));
      const row = Object.fromEntries(result.columns.map((c, i) => [c.name, [c.type, result.rows[0]?.[i]]]));
      expect(row).toEqual(expected);
    }
  });

  it('reports where columns come from, only for base tables', async () => {
    const t = target('MariaDB');
    const poolKey = key();
    await t.engine.execute(
      poolKey,
      t.spec(),
      write([
        'CREATE TABLE patients (id INT, ssn TEXT)',
        `INSERT INTO patients VALUES (1, '123-45-6789')`,
        'CREATE VIEW patients_view AS SELECT id, ssn AS hidden FROM patients',
      ]),
    );
    const result = await t.engine.execute(
      poolKey,
      t.spec(),
      read(`SELECT p.id, p.ssn AS alias, UPPER(p.ssn) AS computed, q.ssn AS nested, v.hidden
              FROM patients p, (SELECT ssn FROM patients) q, patients_view v`),
    );
    const source = (column: string) => ({ schema: mariadbDatabase, table: 'patients', column });
    expect(result.columns.map((c) => [c.name, c.source])).toEqual([
      ['id', source('id')],
      ['alias', source('ssn')],
      ['computed', null],
      ['nested', null],
      ['hidden', null],
    ]);
  });

  it('refuses several statements in one text and LOAD DATA LOCAL', async () => {
    const t = target('MariaDB');
    const poolKey = key();
    expect(await failure(t.engine.execute(poolKey, t.spec(), read('SELECT 1; SELECT 2')))).toMatchObject({ kind: 'QUERY', code: 'ER_PARSE_ERROR:1064' });
    await t.engine.execute(poolKey, t.spec(), write(['CREATE TABLE loaded (line TEXT)']));
    const load = await failure(t.engine.execute(poolKey, t.spec(), write([`LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE loaded`])));
    expect(load.kind).toBe('QUERY');
    expect(firstCell(await t.engine.execute(poolKey, t.spec(), read('SELECT COUNT(*) FROM loaded')))).toBe('0');
  });

  it('returns the first result set of a CALL', async () => {
    const t = target('MariaDB');
    const poolKey = key();
    await t.engine.execute(poolKey, t.spec(), write(['CREATE PROCEDURE two_sets() BEGIN SELECT 1 AS a; SELECT 2 AS b, 3 AS c; END']));
    const result = await t.engine.execute(poolKey, t.spec(), write(['CALL two_sets()']));
    expect(result.columns.map((c) => c.name)).toEqual(['a']);
    expect(result.rows).toEqual([[1]]);
  });
});

describe('engineFor', () => {
  it('gives one shared instance per type, the mysql2 implementation for MYSQL and MARIADB', async () => {
    expect(engineFor('POSTGRESQL')).toBe(engineFor('POSTGRESQL'));
    expect(engineFor('POSTGRESQL')).toBeInstanceOf(PostgresEngine);
    expect(engineFor('MYSQL')).toBeInstanceOf(MysqlEngine);
    expect(engineFor('MARIADB')).toBeInstanceOf(MysqlEngine);
    expect(engineFor('MYSQL').dbType).toBe('MYSQL');
    expect(engineFor('MARIADB').dbType).toBe('MARIADB');
    // A MYSQL datasource that is really MariaDB works (the flavour comes from the server).
    const t = target('MariaDB');
    const result = await engineFor('MYSQL').execute(key(), t.spec({ statementTimeoutMs: 500 }), read('SELECT @@session.max_statement_time'));
    expect(result.rows).toEqual([[0.5]]);
    await Promise.all([engineFor('MYSQL').close(), engineFor('MARIADB').close(), engineFor('POSTGRESQL').close()]);
  });

  it('redacts the password from messages', () => {
    expect(redact('a s3cret b s3cret', { password: 's3cret' })).toBe('a ******** b ********');
    expect(redact('nothing to hide', { password: '' })).toBe('nothing to hide');
  });
});
