/**
 * The execution side of the database engines: one interface, two implementations (PostgreSQL through `pg`,
 * MySQL and MariaDB through `mysql2`). AccessFlow alone holds the datasource credentials; an engine opens
 * pooled connections with them and runs approved statements in one transaction.
 *
 * Guarantees shared by both implementations:
 * - parameters are always bound by the driver/server, never concatenated into SQL;
 * - a request runs in ONE transaction; `readOnly` makes it a READ ONLY transaction that is rolled back;
 * - each statement gets the spec's statement timeout, enforced by the server and backed by a client-side
 *   watchdog that cancels a statement outliving it (the connection it acted on is then closed, not reused);
 * - at most `maxRows + 1` rows of the last statement are kept (`truncated` tells whether more existed):
 *   PostgreSQL never computes more; MySQL/MariaDB stop a plain SELECT there (sql_select_limit) and stream the
 *   rest of anything else (own larger LIMIT, SHOW, CALL) through without keeping it;
 * - a connection goes back to its pool unchanged: the session is reset after every request
 *   (PostgreSQL: what `DISCARD ALL` resets, keeping the engine's own prepared statements; MySQL/MariaDB
 *   `COM_RESET_CONNECTION`), or the connection is destroyed;
 * - errors are `EngineError`s carrying the database's own message, never the password.
 */
import { createHash } from 'node:crypto';
import type { PoolStats, SchemaSnapshot } from './introspection.ts';
import { MysqlEngine } from './mysql/mysql-engine.ts';
import { PostgresEngine } from './postgres/postgres-engine.ts';

export type DbType = 'POSTGRESQL' | 'MYSQL' | 'MARIADB';
export type SslMode = 'DISABLE' | 'REQUIRE' | 'VERIFY_CA' | 'VERIFY_FULL';

export interface ConnectionSpec {
  host: string;
  port: number;
  database: string;
  username: string;
  password: string;
  sslMode: SslMode;
  /** PEM certificate(s) VERIFY_CA and VERIFY_FULL trust instead of the system's authorities; null for the system's. */
  sslRootCertificate: string | null;
  poolSize: number;
  /** Per statement; 0 or less disables the timeout. */
  statementTimeoutMs: number;
  /** Establishing a connection; default 10 s. */
  connectTimeoutMs?: number;
}

export interface BoundStatement {
  sql: string;
  params: unknown[];
}

export interface ExecuteRequest {
  statements: BoundStatement[];
  readOnly: boolean;
  maxRows: number;
  /**
   * The relations the statement names (the classifier's tables; `schema` null when unqualified), so the result can
   * say which of them are views and what those read (`ExecutionResult.behindViews`). Omitted: nothing is looked up.
   */
  relations?: readonly RelationName[];
}

export interface RelationName {
  schema: string | null;
  name: string;
}

/**
 * The named relations that are views (or materialized views) and every relation they read, transitively (the views
 * themselves included); empty when none of the named relations is a view. `relations: null` when a view was named
 * but what it reads is not known (MySQL/MariaDB).
 */
export interface ViewReads {
  views: RelationName[];
  relations: RelationName[] | null;
}

export interface ResultColumn {
  name: string;
  /** Engine type name, e.g. int4, varchar (PostgreSQL `pg_type.typname`; MySQL lower-case column type). */
  type: string;
  /**
   * The base-table column the values are taken from unchanged, as the server reports it (through column aliases,
   * and on PostgreSQL through subqueries and CTEs). null when the column is not one verified to be a base-table
   * column: expressions, aggregates, UNION, view columns, MySQL derived tables and CTEs, temporary tables.
   * Both engines always set it; it is optional for results built elsewhere.
   */
  source?: ColumnSource | null;
}

export interface ColumnSource {
  schema: string | null;
  table: string;
  column: string;
}

export interface ExecutionResult {
  columns: ResultColumn[];
  /**
   * Values as JSON-safe primitives: numbers, strings, booleans, null. 64-bit integers and decimals as strings;
   * timestamps as ISO 8601 strings; bytes base64; JSON values as their JSON text (a string, not parsed).
   */
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  /** Sum of the rows written by the statements of a write request; null for read-only requests. */
  rowsAffected: number | null;
  /** From the moment a connection was obtained until the transaction was finished. */
  durationMs: number;
  /** Set when the request listed its `relations`: a view hides the tables a value may come from (masking needs them). */
  behindViews?: ViewReads;
}

export type EngineErrorKind = 'CONNECTION' | 'AUTHENTICATION' | 'TIMEOUT' | 'QUERY';

export class EngineError extends Error {
  readonly kind: EngineErrorKind;
  /** SQLSTATE (PostgreSQL), `ER_NAME:errno` or errno (MySQL/MariaDB), a Node error code (network), or null. */
  readonly code: string | null;
  /** @param message the database's own message, verbatim (minus any occurrence of the password). */
  constructor(kind: EngineErrorKind, message: string, code: string | null) {
    super(message);
    this.name = 'EngineError';
    this.kind = kind;
    this.code = code;
  }
}

export interface Engine {
  readonly dbType: DbType;
  /**
   * Opens one connection with the spec (not from a pool), runs a trivial query, closes it. `serverVersion` is the
   * server's own version string (PostgreSQL `server_version`, MySQL/MariaDB `VERSION()`); `latencyMs` is the
   * round trip of the trivial query (connecting, TLS and authentication not included).
   */
  testConnection(spec: ConnectionSpec): Promise<{ serverVersion: string; latencyMs: number }>;
  /**
   * Runs the statements in ONE transaction on a pooled connection for `poolKey`. readOnly → a READ ONLY
   * transaction (second wall behind the classifier) that is rolled back; else committed. Statement timeout from
   * the spec applies to each statement. Only the LAST statement's rows are returned, capped at maxRows
   * (truncated=true when more existed — at most maxRows+1 are fetched, never the whole result); rowsAffected is
   * the sum over statements for writes.
   */
  execute(poolKey: string, spec: ConnectionSpec, request: ExecuteRequest): Promise<ExecutionResult>;
  /** Which of the relations are views and what those read (as `ExecutionResult.behindViews`), in a read of its own. */
  viewReads(poolKey: string, spec: ConnectionSpec, relations: readonly RelationName[]): Promise<ViewReads>;
  /**
   * Drops the pool of a datasource (spec changed or datasource deleted). No new request gets it; requests already
   * using it finish, then it is closed. Resolves when it is closed if it was idle, at once otherwise.
   */
  evict(poolKey: string): Promise<void>;
  /** Closes every pool, after the requests using them finished. The engine stays usable (pools reopen on demand). */
  close(): Promise<void>;
  /**
   * Reads the catalog (schemas, tables and views with estimated rows, columns, primary and foreign keys, indexes)
   * on a pooled connection for `poolKey`, in one READ ONLY transaction under the spec's statement timeout,
   * rolled back. Implemented in `<engine>/introspect.ts`.
   */
  introspect(poolKey: string, spec: ConnectionSpec): Promise<SchemaSnapshot>;
  /** The pool of `poolKey` right now, or null when none is open (pools open on a datasource's first use). */
  poolStats(poolKey: string): PoolStats | null;
}

const engines = new Map<DbType, Engine>();

/** One shared instance per type; MYSQL and MARIADB are two instances of the mysql2 implementation. */
export function engineFor(dbType: DbType): Engine {
  let engine = engines.get(dbType);
  if (engine === undefined) {
    switch (dbType) {
      case 'POSTGRESQL':
        engine = new PostgresEngine();
        break;
      case 'MYSQL':
      case 'MARIADB':
        engine = new MysqlEngine(dbType);
        break;
      default:
        throw new TypeError(`unknown database type ${String(dbType satisfies never)}`);
    }
    engines.set(dbType, engine);
  }
  return engine;
}

// ------------------------------------------------------------------------------------------------
// Shared by the implementations (not part of the public interface).
// ------------------------------------------------------------------------------------------------

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** How long after the statement timeout the client-side watchdog cancels a statement the server did not stop. */
export const WATCHDOG_GRACE_MS = 1_000;
/** How long after cancelling the watchdog waits before it gives up on the connection and destroys it. */
export const CANCEL_GRACE_MS = 2_000;

export function connectTimeoutOf(spec: ConnectionSpec): number {
  const ms = spec.connectTimeoutMs;
  return ms !== undefined && Number.isFinite(ms) && ms > 0 ? Math.ceil(ms) : DEFAULT_CONNECT_TIMEOUT_MS;
}

/** The statement timeout in whole milliseconds, 0 when disabled. */
export function statementTimeoutOf(spec: ConnectionSpec): number {
  const ms = spec.statementTimeoutMs;
  return Number.isFinite(ms) && ms > 0 ? Math.ceil(ms) : 0;
}

/**
 * How long a request may wait for a free pooled connection: long enough to connect, plus one statement's worth
 * of waiting for a busy connection to come back.
 */
export function acquireTimeoutOf(spec: ConnectionSpec): number {
  return connectTimeoutOf(spec) + (statementTimeoutOf(spec) || 60_000);
}

export function validateRequest(request: ExecuteRequest): void {
  if (request.statements.length === 0) throw new TypeError('ExecuteRequest.statements must not be empty');
  if (!Number.isSafeInteger(request.maxRows) || request.maxRows < 0) {
    throw new TypeError(`ExecuteRequest.maxRows must be a non-negative integer, got ${request.maxRows}`);
  }
  for (const statement of request.statements) {
    if (typeof statement.sql !== 'string') throw new TypeError('BoundStatement.sql must be a string');
    if (!Array.isArray(statement.params)) throw new TypeError('BoundStatement.params must be an array');
  }
}

/** Removes the password from a message that is about to leave the engine. */
export function redact(message: string, spec: Pick<ConnectionSpec, 'password'>): string {
  return spec.password === '' ? message : message.split(spec.password).join('********');
}

/** A hash of everything in the spec (password included) that decides whether a pool can be reused. */
export function fingerprintOf(spec: ConnectionSpec): string {
  const fields = [
    spec.host,
    spec.port,
    spec.database,
    spec.username,
    spec.password,
    spec.sslMode,
    spec.poolSize,
    spec.statementTimeoutMs,
    spec.connectTimeoutMs ?? null,
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

export function poolSizeOf(spec: ConnectionSpec): number {
  return Number.isSafeInteger(spec.poolSize) && spec.poolSize > 0 ? spec.poolSize : 1;
}

export function elapsedMs(startedAt: number): number {
  return Math.round((performance.now() - startedAt) * 1000) / 1000;
}

interface PoolEntry<P> {
  readonly fingerprint: string;
  readonly pool: P;
  /** Requests currently using the pool (from lease to release). */
  active: number;
  retired: boolean;
  closed?: Promise<void>;
  /** Resolves when the pool has been closed after it was retired. */
  drained: Promise<void>;
  resolveDrained: () => void;
}

export interface PoolLease<P> {
  readonly pool: P;
  release(): void;
}

/**
 * Pools per poolKey, created on demand. A pool whose spec changed is retired: no new request gets it, the
 * requests already using it finish, then it is closed ("drained and replaced").
 */
export class PoolRegistry<P> {
  readonly #entries = new Map<string, PoolEntry<P>>();
  readonly #retiring = new Set<PoolEntry<P>>();
  readonly #open: (spec: ConnectionSpec) => P;
  readonly #close: (pool: P) => Promise<void>;

  constructor(open: (spec: ConnectionSpec) => P, close: (pool: P) => Promise<void>) {
    this.#open = open;
    this.#close = close;
  }

  lease(poolKey: string, spec: ConnectionSpec): PoolLease<P> {
    const fingerprint = fingerprintOf(spec);
    let entry = this.#entries.get(poolKey);
    if (entry !== undefined && entry.fingerprint !== fingerprint) {
      this.#retire(poolKey, entry);
      entry = undefined;
    }
    if (entry === undefined) {
      let resolveDrained = (): void => undefined;
      const drained = new Promise<void>((resolve) => (resolveDrained = resolve));
      entry = { fingerprint, pool: this.#open(spec), active: 0, retired: false, drained, resolveDrained };
      this.#entries.set(poolKey, entry);
    }
    const leased = entry;
    leased.active += 1;
    let released = false;
    return {
      pool: leased.pool,
      release: () => {
        if (released) return;
        released = true;
        leased.active -= 1;
        if (leased.retired && leased.active === 0) this.#closeEntry(leased);
      },
    };
  }

  /** The current pool of poolKey, without opening one. */
  peek(poolKey: string): P | null {
    return this.#entries.get(poolKey)?.pool ?? null;
  }

  /** Retires the pool of poolKey; resolves once it is closed if it is idle, at once if requests still use it. */
  async evict(poolKey: string): Promise<void> {
    const entry = this.#entries.get(poolKey);
    if (entry === undefined) return;
    this.#retire(poolKey, entry);
    if (entry.active === 0) await entry.drained;
  }

  /** Retires every pool and waits until all of them are closed (in-flight requests finish first). */
  async closeAll(): Promise<void> {
    for (const [poolKey, entry] of [...this.#entries]) this.#retire(poolKey, entry);
    await Promise.all([...this.#retiring].map((entry) => entry.drained));
  }

  #retire(poolKey: string, entry: PoolEntry<P>): void {
    if (this.#entries.get(poolKey) === entry) this.#entries.delete(poolKey);
    if (entry.retired) return;
    entry.retired = true;
    this.#retiring.add(entry);
    if (entry.active === 0) this.#closeEntry(entry);
  }

  #closeEntry(entry: PoolEntry<P>): void {
    entry.closed ??= this.#close(entry.pool)
      .catch(() => undefined)
      .then(() => {
        this.#retiring.delete(entry);
        entry.resolveDrained();
      });
  }
}

/** Resolves with `promise`, or rejects with `onTimeout()` after `ms`; a late value is handed to `onLate`. */
export function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => Error, onLate: (value: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(onTimeout());
    }, ms);
    promise.then(
      (value) => {
        if (timedOut) onLate(value);
        else {
          clearTimeout(timer);
          resolve(value);
        }
      },
      (error: unknown) => {
        if (!timedOut) {
          clearTimeout(timer);
          reject(error);
        }
      },
    );
  });
}

/** Named error fields that drivers attach to their errors. */
export function errorField(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null && name in error ? Reflect.get(error, name) : undefined;
}

export function errorMessageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  const message = errorField(error, 'message');
  return typeof message === 'string' ? message : String(error);
}

/** Node's network-level failures: the server could not be reached or the connection broke. */
export const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
  'EADDRNOTAVAIL',
]);

/** TLS failures (certificate verification, handshake) are connection failures. */
export function isTlsErrorCode(code: string): boolean {
  return (
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    code.includes('CERT') ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' ||
    code === 'SELF_SIGNED_CERT_IN_CHAIN' ||
    code === 'DEPTH_ZERO_SELF_SIGNED_CERT'
  );
}

/**
 * The authorities a verifying TLS mode trusts: the datasource's own certificates when it has them — then only
 * those, as libpq's sslrootcert — else none given, so Node's system store applies (plus NODE_EXTRA_CA_CERTS).
 */
export function trustedAuthorities(spec: ConnectionSpec): { ca?: string } {
  return spec.sslRootCertificate ? { ca: spec.sslRootCertificate } : {};
}
