/**
 * MySQL and MariaDB through mysql2 (one implementation; the server flavour is read from VERSION() once per
 * connection, so a MYSQL datasource that is really a MariaDB server, or the reverse, still works).
 *
 * A request on a pooled connection:
 *
 *   SET NAMES utf8mb4 …, SESSION autocommit = 0, SESSION max_statement_time = <s>
 *       (MariaDB; MySQL: max_execution_time = <ms>) [, SESSION sql_select_limit = maxRows + 1] (one statement)
 *   read-only: SET SESSION TRANSACTION READ ONLY; START TRANSACTION READ ONLY      write: START TRANSACTION
 *   each statement (the last one preceded by SET SESSION sql_select_limit = maxRows + 1 if there are several)
 *   write: COMMIT
 *   COM_RESET_CONNECTION (mysql2 `reset()`); SELECT DATABASE(), CURRENT_ROLE() against the connection's baseline —
 *   after the result is handed back (the connection returns to the pool only when both succeeded)
 *
 * Why session-level settings: they are set at the start of every request and undone at its end by
 * COM_RESET_CONNECTION, which the engine needs anyway: it rolls back whatever is open and resets what a
 * statement may have left on the session (session variables, user variables, temporary tables, prepared
 * statements, GET_LOCK locks, the transaction characteristics) to the server defaults. Two things survive it:
 * the default database (USE) and, on MariaDB, the current role (SET ROLE); they are compared with what the
 * connection had when it was opened, and a connection that differs is closed. The character set is repeated
 * with SET NAMES at the start of each request (MariaDB keeps it across the reset; MySQL may not). All of this is
 * verified by the tests on MariaDB. SET STATEMENT … FOR (MariaDB) would avoid the session settings but means
 * rewriting the user's SQL and does not exist on MySQL; the MAX_EXECUTION_TIME optimizer hint likewise needs
 * the SQL rewritten. A connection whose reset fails is closed.
 *
 * The read-only wall is double: START TRANSACTION READ ONLY, and the session's transaction characteristic set
 * to READ ONLY with autocommit off — because on MySQL/MariaDB a DDL statement (or COMMIT) silently ends the
 * READ ONLY transaction and the statement would then run in a new, writable one. With the session READ ONLY
 * every transaction it could start is read-only too (DDL fails with ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION).
 * In addition, in a read-only request every statement that answers with an OK packet must leave the session
 * "in transaction"; one that ended it stops the request.
 *
 * Writes: DDL commits implicitly on MySQL/MariaDB (not transactional); with autocommit off, what follows it
 * runs in a new transaction that the final COMMIT (or the reset, on error) completes.
 *
 * Row cap: `sql_select_limit = maxRows + 1` makes the server stop a plain SELECT after maxRows + 1 rows. For
 * what it does not cover (a SELECT with its own larger LIMIT, SHOW, CALL) the rows are streamed through
 * mysql2's row events (`query()`/`execute()` without a callback never accumulate rows): at most maxRows + 1 are
 * kept, the rest are read and discarded (bounded by the statement timeout), so memory stays bounded.
 *
 * Timeouts: MariaDB's max_statement_time covers every statement. MySQL's max_execution_time covers SELECT only
 * (UNTESTED here: only MariaDB 10.11 is available); for everything else, on both, a client-side watchdog runs
 * KILL QUERY <thread id> from a separate connection when a statement outlives the timeout by a grace period,
 * destroys the connection if that does not end it either, and never reuses a connection it had to act on.
 *
 * rowsAffected sums affectedRows of the statements' OK packets ("matched" rows, mysql2's default FOUND_ROWS;
 * INSERT … ON DUPLICATE KEY UPDATE counts 2 per updated row, as MySQL reports it); MariaDB's … RETURNING answers
 * with rows instead of an OK packet and is not counted.
 *
 * COM_RESET_CONNECTION needs MySQL 5.7.3+ / MariaDB 10.2.4+; with an older server every reset fails and every
 * connection is closed after its request (correct, but without pooling). max_execution_time needs MySQL 5.7.8+.
 *
 * Parameters: with parameters, statements go through server-side prepared statements (`execute()`: real binding,
 * immune to sql_mode such as NO_BACKSLASH_ESCAPES); without, through the text protocol (`query()`, no
 * interpolation happens with no values). mysql2 caches prepared statements per connection; the reset
 * deallocates them on the server and clears mysql2's cache.
 */
import { isIP } from 'node:net';
import { checkServerIdentity, TLSSocket } from 'node:tls';
import mysql, { type Pool, type PoolConnection, type PoolOptions, type QueryError } from 'mysql2';
import {
  acquireTimeoutOf,
  CANCEL_GRACE_MS,
  connectTimeoutOf,
  elapsedMs,
  EngineError,
  errorField,
  errorMessageOf,
  isTlsErrorCode,
  NETWORK_ERROR_CODES,
  PoolRegistry,
  poolSizeOf,
  redact,
  statementTimeoutOf,
  trustedAuthorities,
  validateRequest,
  WATCHDOG_GRACE_MS,
  withDeadline,
  type ConnectionSpec,
  type DbType,
  type Engine,
  type ExecuteRequest,
  type ExecutionResult,
  type RelationName,
  type ResultColumn,
  type ViewReads,
} from '../engine.ts';
import type { PoolStats, SchemaSnapshot } from '../introspection.ts';
import { introspectMysql, mysqlPoolStats } from './introspect.ts';
import { fromMysqlValue, mysqlTypeName, toMysqlParam, type MysqlField } from './values.ts';

type Flavor = 'mariadb' | 'mysql';

/** What a pooled connection was like when it was opened: what every request must leave it like. */
interface Baseline {
  readonly flavor: Flavor;
  readonly database: unknown;
  /** CURRENT_ROLE(), or undefined when the server has no roles (MySQL 5.7). */
  readonly role: unknown;
}

/** The baseline of each pooled connection, read on its first use. */
const baselines = new WeakMap<PoolConnection, Baseline>();

/** SERVER_STATUS_IN_TRANS in the status flags of an OK packet. */
const SERVER_STATUS_IN_TRANS = 0x0001;

export class MysqlEngine implements Engine {
  readonly dbType: DbType;
  readonly #pools = new PoolRegistry<Pool>(openPool, endPool);

  constructor(dbType: 'MYSQL' | 'MARIADB') {
    this.dbType = dbType;
  }

  async testConnection(spec: ConnectionSpec): Promise<{ serverVersion: string; latencyMs: number }> {
    const connection = mysql.createConnection(connectionOptions(spec));
    connection.on('error', () => undefined); // reported through the pending call
    try {
      await new Promise<void>((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve())));
      const mismatch = identityError(connection, spec);
      if (mismatch) throw mismatch;
    } catch (error) {
      connection.destroy();
      throw toEngineError(error, spec, 'connect');
    }
    // From here on the connection is closed by closeConnection().
    try {
      const startedAt = performance.now();
      const version = await new Promise<string>((resolve, reject) => {
        connection.query({ sql: 'SELECT VERSION()', rowsAsArray: true, timeout: connectTimeoutOf(spec) }, (error: QueryError | null, rows: unknown) => {
          if (error) reject(error);
          else resolve(firstCell(rows));
        });
      });
      return { serverVersion: version, latencyMs: elapsedMs(startedAt) };
    } catch (error) {
      throw toEngineError(error, spec, 'query');
    } finally {
      await closeConnection(connection);
    }
  }

  async viewReads(poolKey: string, spec: ConnectionSpec, relations: readonly RelationName[]): Promise<ViewReads> {
    const query = viewsQuery(relations, spec.database);
    return viewReadsOf((await this.execute(poolKey, spec, { statements: [{ sql: query.sql, params: query.params }], readOnly: true, maxRows: query.cap })).rows);
  }

  async execute(poolKey: string, spec: ConnectionSpec, request: ExecuteRequest): Promise<ExecutionResult> {
    validateRequest(request);
    const lease = this.#pools.lease(poolKey, spec);
    try {
      const connection = await acquire(lease.pool, spec);
      return await new MysqlRequest(connection, spec, request).run();
    } finally {
      lease.release();
    }
  }

  evict(poolKey: string): Promise<void> {
    return this.#pools.evict(poolKey);
  }

  close(): Promise<void> {
    return this.#pools.closeAll();
  }

  async introspect(poolKey: string, spec: ConnectionSpec): Promise<SchemaSnapshot> {
    const lease = this.#pools.lease(poolKey, spec);
    try {
      return await introspectMysql(await acquire(lease.pool, spec), spec);
    } catch (error) {
      throw toEngineError(error, spec, 'query');
    } finally {
      lease.release();
    }
  }

  poolStats(poolKey: string): PoolStats | null {
    const pool = this.#pools.peek(poolKey);
    return pool ? mysqlPoolStats(pool) : null;
  }
}

interface StatementOutcome {
  /** Columns of the first result set; null when the statement returned none. */
  fields: MysqlField[] | null;
  /** At most `cap` rows of the first result set, as mysql2 produced them. */
  rows: unknown[][];
  /** Rows of the first result set received, kept or not. */
  received: number;
  /** Sum of affectedRows of the OK packets. */
  affectedRows: number;
  /** Status flags of the last OK packet; null when there was none (a result set). */
  serverStatus: number | null;
}

class MysqlRequest {
  readonly #connection: PoolConnection;
  readonly #spec: ConnectionSpec;
  readonly #request: ExecuteRequest;
  /** Set when the connection must not go back to the pool. */
  #broken: Error | null = null;
  /** Settles the statement in flight, if any, when the connection itself fails. */
  #failPending: ((error: Error) => void) | null = null;
  readonly #onConnectionError = (error: Error): void => {
    this.#broken ??= error;
    this.#failPending?.(error);
  };

  constructor(connection: PoolConnection, spec: ConnectionSpec, request: ExecuteRequest) {
    this.#connection = connection;
    this.#spec = spec;
    this.#request = request;
  }

  async run(): Promise<ExecutionResult> {
    const { readOnly, maxRows, statements } = this.#request;
    this.#connection.on('error', this.#onConnectionError);
    let result: ExecutionResult;
    try {
      const { flavor } = await this.#baseline();
      const startedAt = performance.now();
      const timeoutMs = statementTimeoutOf(this.#spec);
      const cap = maxRows + 1;
      const single = statements.length === 1;
      // The values are ours (validated integers), not user input. SET NAMES repeats the character set of the
      // handshake (mysql2's utf8mb4_unicode_ci): MySQL's COM_RESET_CONNECTION may reset it to the server default.
      const settings = ['NAMES utf8mb4 COLLATE utf8mb4_unicode_ci', 'SESSION autocommit = 0'];
      if (timeoutMs > 0) {
        settings.push(flavor === 'mariadb' ? `SESSION max_statement_time = ${timeoutMs / 1000}` : `SESSION max_execution_time = ${timeoutMs}`);
      }
      if (single) settings.push(`SESSION sql_select_limit = ${cap}`);
      await this.#simple(`SET ${settings.join(', ')}`);
      if (readOnly) {
        await this.#simple('SET SESSION TRANSACTION READ ONLY');
        await this.#simple('START TRANSACTION READ ONLY');
      } else {
        await this.#simple('START TRANSACTION');
      }
      let written = 0;
      let last: StatementOutcome | undefined;
      for (const [index, statement] of statements.entries()) {
        const isLast = index === statements.length - 1;
        if (isLast && !single) await this.#simple(`SET SESSION sql_select_limit = ${cap}`);
        const outcome = await this.#watched(statement.sql, statement.params.map(toMysqlParam), isLast ? cap : 0, timeoutMs);
        written += outcome.affectedRows;
        if (readOnly && outcome.serverStatus !== null && (outcome.serverStatus & SERVER_STATUS_IN_TRANS) === 0) {
          throw new EngineError(
            'QUERY',
            `statement ${index + 1} ended the read-only transaction; transaction control is not allowed in a request, which was stopped there`,
            null,
          );
        }
        if (isLast) last = outcome;
      }
      const fields = last?.fields ?? [];
      const columns = await this.#columnsOf(fields);
      const relations = this.#request.relations;
      const behindViews = relations !== undefined && relations.length > 0 ? await this.#viewsAmong(relations) : undefined;
      if (!readOnly) await this.#simple('COMMIT');
      const kept = last?.rows ?? [];
      const rows = kept.slice(0, maxRows).map((row) => row.map((value, i) => fromMysqlValue(fields[i], value)));
      result = {
        columns,
        rows,
        rowCount: rows.length,
        truncated: (last?.received ?? 0) > maxRows,
        rowsAffected: readOnly ? null : written,
        durationMs: elapsedMs(startedAt),
        ...(behindViews ? { behindViews } : {}),
      };
    } catch (error) {
      const engineError = toEngineError(error, this.#spec, 'query');
      await this.#recycle();
      throw engineError;
    }
    // The connection goes back to the pool once it is reset and checked; the caller does not wait for that. Reset
    // failures are handled inside (the connection is destroyed); nothing may escape as an unhandled rejection.
    this.#recycle().catch(() => undefined);
    return result;
  }

  /**
   * Resets the session (rolling back anything open) and returns the connection to the pool, or destroys it.
   * COM_RESET_CONNECTION leaves two things as a statement may have set them: the default database (USE) and,
   * on MariaDB at least, the current role (SET ROLE). Both are compared with the connection's baseline; a
   * connection that differs is closed rather than repaired (USE cannot go back to "no database").
   */
  async #recycle(): Promise<void> {
    const connection = this.#connection;
    const baseline = baselines.get(connection);
    if (this.#broken === null) {
      try {
        const bound = connectTimeoutOf(this.#spec) + statementTimeoutOf(this.#spec);
        await withDeadline(
          new Promise<void>((resolve, reject) => connection.reset((error) => (error ? reject(error) : resolve()))),
          bound,
          () => new Error(`COM_RESET_CONNECTION did not answer within ${bound} ms`),
          () => undefined,
        );
        if (baseline === undefined) throw new Error('connection without a baseline');
        const now = await this.#statement(`SELECT DATABASE()${baseline.role === undefined ? '' : ', CURRENT_ROLE()'}`, [], 1);
        const [database, role] = now.rows[0] ?? [];
        if (database !== baseline.database || (baseline.role !== undefined && role !== baseline.role)) {
          throw new Error('a statement changed the default database or the current role');
        }
      } catch (error) {
        this.#broken ??= error instanceof Error ? error : new Error(errorMessageOf(error));
      }
    }
    if (this.#broken === null) {
      connection.off('error', this.#onConnectionError);
      connection.release();
    } else {
      // The listener added in openPool() stays: a destroyed connection may still report its failure.
      connection.off('error', this.#onConnectionError);
      connection.destroy();
    }
  }

  /**
   * Names and types of the result columns, with their source. The server names the table and column a value is
   * taken from (orgTable/orgName), but for a derived table, a CTE or a view it names that instead, so a source is
   * only reported when information_schema confirms a base table of that name in that schema.
   */
  async #columnsOf(fields: readonly MysqlField[]): Promise<ResultColumn[]> {
    const candidates = new Map<string, [string, string]>();
    for (const field of fields) {
      if (field.schema !== '' && field.orgTable !== '' && field.orgName !== '') {
        candidates.set(JSON.stringify([field.schema, field.orgTable]), [field.schema, field.orgTable]);
      }
    }
    const baseTables = new Set<string>();
    if (candidates.size > 0) {
      const pairs = [...candidates.values()];
      // An explicit LIMIT: the session's sql_select_limit (the row cap) must not cut this lookup short.
      const outcome = await this.#statement(
        `SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES
          WHERE TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED', 'SEQUENCE')
            AND (${pairs.map(() => '(TABLE_SCHEMA = ? AND TABLE_NAME = ?)').join(' OR ')})
          LIMIT ${pairs.length * 2}`,
        pairs.flat(),
        pairs.length * 2,
      );
      // Compared here, exactly: information_schema may compare names case-insensitively.
      for (const row of outcome.rows) baseTables.add(JSON.stringify([String(row[0]), String(row[1])]));
    }
    return fields.map((field) => ({
      name: field.name,
      type: mysqlTypeName(field),
      source: baseTables.has(JSON.stringify([field.schema, field.orgTable]))
        ? { schema: field.schema, table: field.orgTable, column: field.orgName }
        : null,
    }));
  }

  /** Which named relations are views (see viewsQuery); masking then treats every computed value as possibly masked. */
  async #viewsAmong(relations: readonly RelationName[]): Promise<ViewReads> {
    const query = viewsQuery(relations, this.#spec.database);
    return viewReadsOf((await this.#statement(query.sql, query.params, query.cap)).rows);
  }

  async #baseline(): Promise<Baseline> {
    let baseline = baselines.get(this.#connection);
    if (baseline === undefined) {
      const outcome = await this.#statement('SELECT VERSION(), DATABASE()', [], 1);
      const [version, database] = outcome.rows[0] ?? [];
      let role: unknown;
      try {
        role = (await this.#statement('SELECT CURRENT_ROLE()', [], 1)).rows[0]?.[0];
      } catch {
        role = undefined; // no roles on this server
      }
      baseline = { flavor: /mariadb/i.test(String(version ?? '')) ? 'mariadb' : 'mysql', database, role };
      baselines.set(this.#connection, baseline);
    }
    return baseline;
  }

  #simple(sql: string): Promise<StatementOutcome> {
    return this.#statement(sql, [], 0);
  }

  /**
   * Runs a statement with the client-side watchdog (see the top of the file): a statement still running
   * WATCHDOG_GRACE_MS after the timeout is killed with KILL QUERY from another connection, and the connection is
   * not reused afterwards (a KILL arriving late could hit the next statement).
   */
  async #watched(sql: string, params: unknown[], cap: number, timeoutMs: number): Promise<StatementOutcome> {
    if (timeoutMs === 0) return this.#statement(sql, params, cap);
    let killed = false;
    let abortTimer: NodeJS.Timeout | undefined;
    const watchdog = setTimeout(() => {
      killed = true;
      this.#broken ??= new Error('statement killed by the watchdog');
      void killQuery(this.#spec, this.#connection.threadId).catch(() => undefined);
      abortTimer = setTimeout(() => {
        this.#failPending?.(
          new EngineError(
            'TIMEOUT',
            `the statement was still running ${CANCEL_GRACE_MS} ms after it was killed for exceeding the ${timeoutMs} ms statement timeout; its connection was closed`,
            null,
          ),
        );
      }, CANCEL_GRACE_MS);
    }, timeoutMs + WATCHDOG_GRACE_MS);
    try {
      return await this.#statement(sql, params, cap);
    } catch (error) {
      // ER_QUERY_INTERRUPTED after our KILL QUERY: the statement timed out.
      if (killed && errorField(error, 'errno') === 1317) {
        throw new EngineError('TIMEOUT', redact(errorMessageOf(error), this.#spec), mysqlCode(error));
      }
      throw error;
    } finally {
      clearTimeout(watchdog);
      clearTimeout(abortTimer);
    }
  }

  /**
   * Runs one statement, streaming its rows through mysql2's events: the rows of the first result set are
   * counted, at most `cap` kept (none when cap is 0); later result sets (of a CALL) are ignored.
   */
  #statement(sql: string, params: unknown[], cap: number): Promise<StatementOutcome> {
    return new Promise<StatementOutcome>((resolve, reject) => {
      const outcome: StatementOutcome = { fields: null, rows: [], received: 0, affectedRows: 0, serverStatus: null };
      let settled = false;
      const settle = (error: Error | null): void => {
        if (settled) return;
        settled = true;
        this.#failPending = null;
        if (error === null) resolve(outcome);
        else reject(error);
      };
      if (this.#broken !== null) {
        settle(this.#broken);
        return;
      }
      this.#failPending = settle;
      const options = { sql, rowsAsArray: true };
      const command = params.length > 0 ? this.#connection.execute({ ...options, values: params }) : this.#connection.query(options);
      // Each result (a result set or an OK packet) starts with one 'fields' event: undefined for an OK packet.
      let resultIndex = -1;
      let capturedIndex: number | null = null;
      command.on('fields', (...args: unknown[]) => {
        resultIndex += 1;
        const fields = args[0];
        if (capturedIndex === null && Array.isArray(fields)) {
          capturedIndex = resultIndex;
          outcome.fields = fields.map(toField);
        }
      });
      command.on('result', (...args: unknown[]) => {
        const row = args[0];
        if (Array.isArray(row)) {
          if (resultIndex !== capturedIndex) return;
          outcome.received += 1;
          if (outcome.rows.length < cap) outcome.rows.push(row);
        } else {
          const affected = errorField(row, 'affectedRows');
          const status = errorField(row, 'serverStatus');
          if (typeof affected === 'number') outcome.affectedRows += affected;
          if (typeof status === 'number') outcome.serverStatus = status;
        }
      });
      command.on('error', (error: QueryError) => settle(error));
      command.on('end', () => settle(null));
    });
  }
}

function toField(value: unknown): MysqlField {
  const text = (name: string): string => {
    const field = errorField(value, name);
    return typeof field === 'string' ? field : '';
  };
  const number = (name: string, fallback: number): number => {
    const field = errorField(value, name);
    return typeof field === 'number' ? field : fallback;
  };
  return {
    name: text('name'),
    columnType: number('columnType', -1),
    characterSet: number('characterSet', 0),
    flags: number('flags', 0),
    schema: text('schema'),
    orgTable: text('orgTable'),
    orgName: text('orgName'),
    columnLength: number('columnLength', 0),
    extendedTypeName: text('extendedTypeName'),
    extendedFormat: text('extendedFormat'),
  };
}

function firstCell(rows: unknown): string {
  if (!Array.isArray(rows)) return '';
  const row: unknown = rows[0];
  return Array.isArray(row) ? String(row[0] ?? '') : '';
}

function sslOf(spec: ConnectionSpec): PoolOptions['ssl'] {
  switch (spec.sslMode) {
    case 'DISABLE':
      return undefined;
    case 'REQUIRE':
      // Encrypted, any certificate accepted; fails if the server does not offer TLS.
      return { rejectUnauthorized: false };
    case 'VERIFY_CA':
      // The chain must lead to a trusted authority (the datasource's own, else the system's); no host name check.
      return { rejectUnauthorized: true, verifyIdentity: false, ...trustedAuthorities(spec) };
    case 'VERIFY_FULL':
      // mysql2 checks a host name itself; an IP address it would check as "localhost" (it sets no server name for
      // one), so for an address its check is off and `identityError` checks the address instead.
      return { rejectUnauthorized: true, verifyIdentity: isIP(spec.host) === 0, ...trustedAuthorities(spec) };
    default:
      throw new TypeError(`unknown SSL mode ${String(spec.sslMode satisfies never)}`);
  }
}

function connectionOptions(spec: ConnectionSpec): PoolOptions {
  const ssl = sslOf(spec);
  return {
    host: spec.host,
    port: spec.port,
    user: spec.username,
    password: spec.password,
    ...(spec.database === '' ? {} : { database: spec.database }),
    ...(ssl === undefined ? {} : { ssl }),
    connectTimeout: connectTimeoutOf(spec),
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    dateStrings: true,
    jsonStrings: true,
    multipleStatements: false,
    // No LOAD DATA LOCAL INFILE: the server must never read files of the AccessFlow host.
    flags: ['-LOCAL_FILES', '-MULTI_STATEMENTS'],
    enableKeepAlive: true,
    connectAttributes: { program_name: 'AccessFlow' },
  };
}

function openPool(spec: ConnectionSpec): Pool {
  const size = poolSizeOf(spec);
  const pool = mysql.createPool({
    ...connectionOptions(spec),
    connectionLimit: size,
    maxIdle: size,
    idleTimeout: 60_000,
    waitForConnections: true,
    queueLimit: 0,
  });
  pool.on('connection', (connection) => {
    // A pooled connection that fails while idle is dropped by the pool; without a listener its 'error'
    // would be an uncaught exception.
    connection.on('error', () => undefined);
  });
  return pool;
}

function endPool(pool: Pool): Promise<void> {
  return new Promise<void>((resolve) => pool.end(() => resolve()));
}

/** Pooled connections whose server identity was checked (see identityError). */
const verified = new WeakSet<PoolConnection>();

/**
 * VERIFY_FULL to an IP address: the certificate must be for that address (its subject alternative names), checked
 * once the connection is up — mysql2's own check, made during the TLS handshake, only works for host names. Until
 * then only the chain has been verified (against the datasource's authorities), so the login may have reached a
 * server with another certificate of the same authority; no statement runs on it. A host name is checked during
 * the handshake.
 */
function identityError(connection: mysql.Connection, spec: ConnectionSpec): Error | undefined {
  if (spec.sslMode !== 'VERIFY_FULL' || isIP(spec.host) === 0) return undefined;
  const socket = (connection as unknown as { stream?: unknown }).stream;
  if (!(socket instanceof TLSSocket)) return new Error('the connection to the server is not encrypted');
  return checkServerIdentity(spec.host, socket.getPeerCertificate());
}

/** A pooled connection within the acquire timeout (mysql2's pool has no timeout of its own for waiting). */
async function acquire(pool: Pool, spec: ConnectionSpec): Promise<PoolConnection> {
  const waiting = new Promise<PoolConnection>((resolve, reject) =>
    pool.getConnection((error, connection) => {
      if (error) return reject(error);
      const mismatch = verified.has(connection) ? undefined : identityError(connection, spec);
      if (!mismatch) {
        verified.add(connection);
        return resolve(connection);
      }
      connection.destroy();
      reject(mismatch);
    }),
  );
  try {
    return await withDeadline(
      waiting,
      acquireTimeoutOf(spec),
      () => new EngineError('TIMEOUT', `no connection of the pool (${poolSizeOf(spec)}) became free within ${acquireTimeoutOf(spec)} ms`, null),
      (late) => late.release(),
    );
  } catch (error) {
    throw toEngineError(error, spec, 'connect');
  }
}

/** Kills the running statement of connection `threadId` from a separate, short-lived connection. */
async function killQuery(spec: ConnectionSpec, threadId: number): Promise<void> {
  if (!Number.isSafeInteger(threadId) || threadId <= 0) return;
  const connection = mysql.createConnection(connectionOptions(spec));
  connection.on('error', () => undefined);
  try {
    await new Promise<void>((resolve, reject) =>
      connection.query({ sql: `KILL QUERY ${threadId}`, timeout: connectTimeoutOf(spec) }, (error: QueryError | null) => (error ? reject(error) : resolve())),
    );
  } finally {
    await closeConnection(connection);
  }
}

/** Says goodbye (COM_QUIT) so the server does not log an aborted connection, but waits for it 1 s at most. */
async function closeConnection(connection: mysql.Connection): Promise<void> {
  await withDeadline(
    new Promise<void>((resolve) => connection.end(() => resolve())),
    1_000,
    () => new Error('COM_QUIT unanswered'),
    () => undefined,
  ).catch(() => undefined);
  connection.destroy();
}

const AUTHENTICATION_ERRNOS = new Set([
  1044, // ER_DBACCESS_DENIED_ERROR
  1045, // ER_ACCESS_DENIED_ERROR
  1130, // ER_HOST_NOT_PRIVILEGED
  1251, // ER_NOT_SUPPORTED_AUTH_MODE
  1698, // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
  1820, // ER_MUST_CHANGE_PASSWORD
  1862, // ER_MUST_CHANGE_PASSWORD_LOGIN
  4151, // ER_ACCOUNT_HAS_BEEN_LOCKED (MariaDB)
  3118, // ER_ACCOUNT_HAS_BEEN_LOCKED (MySQL)
]);

const TIMEOUT_ERRNOS = new Set([
  1969, // ER_STATEMENT_TIMEOUT (MariaDB max_statement_time)
  3024, // ER_QUERY_TIMEOUT (MySQL max_execution_time)
]);

const CONNECTION_ERRNOS = new Set([
  1040, // ER_CON_COUNT_ERROR
  1053, // ER_SERVER_SHUTDOWN
  1129, // ER_HOST_IS_BLOCKED
  1152, // ER_ABORTING_CONNECTION
  1184, // ER_NEW_ABORTING_CONNECTION
  1927, // ER_CONNECTION_KILLED (MariaDB)
  4031, // ER_CLIENT_INTERACTION_TIMEOUT (MySQL)
]);

const CONNECTION_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'HANDSHAKE_NO_SSL_SUPPORT', 'HANDSHAKE_SSL_ERROR']);

function mysqlCode(error: unknown): string | null {
  const errno = errorField(error, 'errno');
  const code = errorField(error, 'code');
  if (typeof errno === 'number' && errno > 0) return typeof code === 'string' && code !== '' ? `${code}:${errno}` : String(errno);
  return typeof code === 'string' ? code : null;
}

/**
 * Maps anything mysql2 throws to an EngineError. Server errors (positive errno) are classified by errno; network
 * and TLS failures are CONNECTION; while connecting, anything that is not an authentication failure is
 * CONNECTION. The code is `ER_NAME:errno` (or the errno alone when mysql2 has no name for it, as for MariaDB's
 * 1969), or Node's code for network errors.
 */
function toEngineError(error: unknown, spec: ConnectionSpec, phase: 'connect' | 'query'): EngineError {
  if (error instanceof EngineError) return error;
  const message = redact(errorMessageOf(error), spec);
  const code = mysqlCode(error);
  const errno = errorField(error, 'errno');
  if (typeof errno === 'number' && errno > 0) {
    if (AUTHENTICATION_ERRNOS.has(errno)) return new EngineError('AUTHENTICATION', message, code);
    if (TIMEOUT_ERRNOS.has(errno)) return new EngineError('TIMEOUT', message, code);
    if (CONNECTION_ERRNOS.has(errno) || phase === 'connect') return new EngineError('CONNECTION', message, code);
    return new EngineError('QUERY', message, code);
  }
  const nodeCode = errorField(error, 'code');
  if (nodeCode === 'ETIMEDOUT' && errorField(error, 'syscall') === 'connect') {
    return new EngineError('CONNECTION', `could not connect to ${spec.host}:${spec.port} within ${connectTimeoutOf(spec)} ms`, 'ETIMEDOUT');
  }
  if (typeof nodeCode === 'string' && (NETWORK_ERROR_CODES.has(nodeCode) || CONNECTION_CODES.has(nodeCode) || isTlsErrorCode(nodeCode))) {
    return new EngineError('CONNECTION', message, nodeCode);
  }
  if (phase === 'connect' || errorField(error, 'fatal') === true) return new EngineError('CONNECTION', message, code);
  return new EngineError('QUERY', message, code);
}

/**
 * Which named relations are views (an unqualified name is in the datasource's database). What a view reads is not
 * looked up (MariaDB has no view-table usage view), so when there is one the relations behind it are unknown.
 */
function viewsQuery(relations: readonly RelationName[], database: string): { sql: string; params: string[]; cap: number } {
  const pairs = relations.map(({ schema, name }) => [schema ?? database, name]);
  return {
    sql: `SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES
           WHERE TABLE_TYPE = 'VIEW' AND (${pairs.map(() => '(TABLE_SCHEMA = ? AND TABLE_NAME = ?)').join(' OR ')})
           LIMIT ${pairs.length * 2}`,
    params: pairs.flat() as string[],
    cap: pairs.length * 2,
  };
}

function viewReadsOf(rows: readonly unknown[][]): ViewReads {
  const views = rows.map((row) => ({ schema: String(row[0]), name: String(row[1]) }));
  return { views, relations: views.length === 0 ? [] : null };
}
