/**
 * PostgreSQL through node-postgres (`pg`).
 *
 * A request on a pooled connection:
 *
 *   each statement: Parse/Bind/Describe/Execute/Sync in one round trip (see pipeline.ts), the last one with a row
 *   limit; the first is preceded in its round trip by BEGIN [READ ONLY] and the transaction-local settings
 *   (search_path = public, DateStyle = ISO, bytea_output = hex, statement_timeout), and a read's last one followed
 *   by the catalog lookup of its result columns' sources
 *   COMMIT (a write)
 *   ROLLBACK (a read, and on any error) and the session reset (SESSION_RESET) in one round trip — for a read after
 *   its result is handed back, so the caller does not wait for it; the connection returns to the pool only when it
 *   succeeded
 *
 * Everything the request set is transaction-local (SET LOCAL) and ends with the transaction; the session reset then
 * undoes whatever a statement may have changed for the session anyway (plain SET, SET ROLE, session advisory
 * locks, temporary tables, LISTEN, WITH HOLD cursors), as DISCARD ALL would; a statement prepared by SQL ends the
 * connection's reuse. The engine's own statements stay prepared on the connection. On any error the transaction is
 * rolled back and the session reset the same way; if that fails, or the connection broke, the connection is
 * destroyed (`client.release(error)`) instead of going back to the pool.
 *
 * After every statement the transaction status reported by the server must still be "in transaction": a
 * statement that ended the transaction (COMMIT, ROLLBACK, PREPARE TRANSACTION) stops the request, so no later
 * statement runs outside the READ ONLY transaction. (`COMMIT AND CHAIN` keeps a transaction open and is not
 * detected here; transaction control is the classifier's to refuse.)
 *
 * rowsAffected sums the counts of the INSERT/UPDATE/DELETE/MERGE command tags. A last statement that returns
 * rows (INSERT … RETURNING) and is cut at the row cap has no command tag yet: its rows are not counted.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import pg from 'pg';
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
  type ConnectionSpec,
  type Engine,
  type ExecuteRequest,
  type ExecutionResult,
  type ColumnSource,
  type RelationName,
  type ResultColumn,
  type ViewReads,
} from '../engine.ts';
import type { PoolStats, SchemaSnapshot } from '../introspection.ts';
import { introspectPostgres, postgresPoolStats } from './introspect.ts';
import { CopyRefusedError, Pipeline, type PipelineStep, type PortalResult, type WireField } from './pipeline.ts';
import { BUILTIN_TYPE_NAMES, fromPostgresText, rowsWrittenByTag, toPostgresParam } from './values.ts';

interface PostgresPool {
  readonly pool: pg.Pool;
  /** Names of the non-built-in types seen on this database (oid → typname). */
  readonly typeNames: Map<number, string>;
  /** By statement shape (`shapeOf`): the columns it returned from relations the last time, to ask the catalog about in its round trip. */
  readonly columnSources: LRUCache<string, ColumnKeys>;
}

/**
 * What DISCARD ALL does, in one round trip after the request's ROLLBACK, except DEALLOCATE ALL and DISCARD PLANS:
 * the engine's own statements (the transaction opening, the column lookup) stay prepared, with their plans, on the
 * connection. Those are the only protocol-level statements a request can create (its SQL goes through the unnamed
 * statement); the last line counts statements prepared by SQL, which end the connection's reuse.
 */
const SESSION_RESET = [
  'CLOSE ALL',
  'SET SESSION AUTHORIZATION DEFAULT',
  'RESET ALL',
  'UNLISTEN *',
  'SELECT pg_catalog.pg_advisory_unlock_all()',
  'DISCARD TEMP',
  'DISCARD SEQUENCES',
  'SELECT count(*)::int AS n FROM pg_catalog.pg_prepared_statements WHERE from_sql',
].join('; ');

/** Statement texts whose result columns are remembered per pool. */
const COLUMN_SOURCE_TEXTS = 500;

/** Backend process ids of pooled connections, for cancelling a statement from another connection. */
const backendPids = new WeakMap<pg.PoolClient, number>();

/** Protocol limit of Execute's row count (uint32). */
const MAX_FETCH = 0xffff_fffe;

export class PostgresEngine implements Engine {
  readonly dbType = 'POSTGRESQL' as const;
  readonly #pools = new PoolRegistry<PostgresPool>(openPool, (entry) => entry.pool.end());

  async testConnection(spec: ConnectionSpec): Promise<{ serverVersion: string; latencyMs: number }> {
    const client = new pg.Client({ ...clientConfig(spec), query_timeout: connectTimeoutOf(spec) });
    client.on('error', () => undefined); // reported through the pending call
    try {
      try {
        await client.connect();
      } catch (error) {
        throw toEngineError(error, spec, 'connect');
      }
      try {
        const startedAt = performance.now();
        const result = await client.query<{ server_version: string }>('SHOW server_version');
        const latencyMs = elapsedMs(startedAt);
        return { serverVersion: result.rows[0]?.server_version ?? '', latencyMs };
      } catch (error) {
        throw toEngineError(error, spec, 'query');
      }
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async execute(poolKey: string, spec: ConnectionSpec, request: ExecuteRequest): Promise<ExecutionResult> {
    validateRequest(request);
    const lease = this.#pools.lease(poolKey, spec);
    try {
      const client = await acquire(lease.pool.pool, spec);
      return await new PostgresRequest(client, lease.pool, spec, request).run();
    } finally {
      lease.release();
    }
  }

  async viewReads(poolKey: string, spec: ConnectionSpec, relations: readonly RelationName[]): Promise<ViewReads> {
    const step = viewsStep(relations);
    const result = await this.execute(poolKey, spec, { statements: [{ sql: step.text, params: [...step.values] }], readOnly: true, maxRows: MAX_VIEW_READS });
    const reads = viewReadsOf(result.rows as (string | null)[][]);
    // More than the cap: what the views read is not known in full.
    return result.truncated ? { views: reads.views, relations: null } : reads;
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
      return await introspectPostgres(await acquire(lease.pool.pool, spec), spec);
    } catch (error) {
      throw toEngineError(error, spec, 'query');
    } finally {
      lease.release();
    }
  }

  poolStats(poolKey: string): PoolStats | null {
    const entry = this.#pools.peek(poolKey);
    return entry ? postgresPoolStats(entry.pool) : null;
  }
}

class PostgresRequest {
  readonly #client: pg.PoolClient;
  readonly #pool: PostgresPool;
  readonly #spec: ConnectionSpec;
  readonly #request: ExecuteRequest;
  /** Set when the connection must not go back to the pool (socket error, a statement that would not stop). */
  #broken: Error | null = null;
  readonly #onClientError = (error: Error): void => {
    this.#broken ??= error;
  };

  constructor(client: pg.PoolClient, pool: PostgresPool, spec: ConnectionSpec, request: ExecuteRequest) {
    this.#client = client;
    this.#pool = pool;
    this.#spec = spec;
    this.#request = request;
  }

  async run(): Promise<ExecutionResult> {
    const client = this.#client;
    const { readOnly, maxRows, statements, relations } = this.#request;
    client.on('error', this.#onClientError);
    let result: ExecutionResult;
    try {
      const pid = await this.#backendPid();
      const startedAt = performance.now();
      const timeoutMs = statementTimeoutOf(this.#spec);
      let written = 0;
      let last: PortalResult | undefined;
      let catalog: CatalogLookup | null = null;
      let behind: readonly (string | null)[][] | null = null;
      for (const [index, statement] of statements.entries()) {
        const isFirst = index === 0;
        const isLast = index === statements.length - 1;
        // The transaction's opening goes in the first statement's round trip; a read's last statement is followed
        // by the catalog lookup of the columns it returned the last time it ran (see #columnsOf).
        const opening = isFirst ? transactionOpening(readOnly, timeoutMs) : [];
        const predicted = isLast && readOnly ? this.#pool.columnSources.get(shapeOf(statement.sql)) ?? null : null;
        const views = isLast && relations !== undefined && relations.length > 0 ? viewsStep(relations) : null;
        const steps: PipelineStep[] = [
          ...opening,
          {
            text: statement.sql,
            values: statement.params.map(toPostgresParam),
            limit: isLast ? Math.min(maxRows + 1, MAX_FETCH) : 0,
            keepRows: isLast,
            describe: true,
          },
          ...(predicted ? [catalogStep(predicted)] : []),
          ...(views ? [views] : []),
        ];
        const results = await this.#runWatched(new Pipeline(steps), pid, timeoutMs);
        const outcome = results[opening.length]!;
        written += rowsWrittenByTag(outcome.commandTag);
        if (client.getTransactionStatus() !== 'T') {
          throw new EngineError(
            'QUERY',
            `statement ${index + 1} ended the transaction; transaction control is not allowed in a request, which was stopped there` +
              (readOnly ? '' : ' (what ran before it may have been committed)'),
            null,
          );
        }
        if (isLast) {
          last = outcome;
          if (predicted) catalog = { asked: predicted, rows: results[opening.length + 1]!.rows };
          if (views) behind = results.at(-1)!.rows;
        }
      }
      const fields = last?.fields ?? [];
      const behindViews = behind === null ? undefined : viewReadsOf(behind);
      const columns = await this.#columnsOf(last === undefined ? null : statements.at(-1)!.sql, fields, catalog);
      const kept = last?.rows ?? [];
      const rows = kept.slice(0, maxRows).map((row) => row.map((text, i) => fromPostgresText(fields[i]?.dataTypeID ?? 25, text)));
      // A read's transaction is rolled back with the clean-up below, after the caller has its rows.
      if (!readOnly) await client.query('COMMIT');
      const durationMs = elapsedMs(startedAt);
      result = {
        columns,
        rows,
        rowCount: rows.length,
        truncated: kept.length > maxRows || (last?.suspended ?? false),
        rowsAffected: readOnly ? null : written,
        durationMs,
        ...(behindViews ? { behindViews } : {}),
      };
    } catch (error) {
      const engineError = toEngineError(error, this.#spec, 'query');
      // One of the engine's own prepared statements is gone (something deallocated it): pg's record of them is wrong now.
      if (engineError.code === '26000') this.#broken ??= engineError;
      await this.#recycle(true);
      throw engineError;
    }
    // The connection goes back to the pool once it is clean again; the caller does not wait for that. Clean-up
    // failures are handled inside (the connection is destroyed); nothing may escape as an unhandled rejection.
    this.#recycle(readOnly).catch(() => undefined);
    return result;
  }

  /** Sends the connection back to the pool in its pristine state, or destroys it. */
  async #recycle(rollback: boolean): Promise<void> {
    const client = this.#client;
    if (this.#broken === null) {
      try {
        // pg's per-query read timeout (a QueryConfig option @types/pg does not declare): a connection that does
        // not answer these within the bound is treated as broken.
        const bound = connectTimeoutOf(this.#spec) + statementTimeoutOf(this.#spec);
        const reset = { text: (rollback ? 'ROLLBACK; ' : '') + SESSION_RESET, query_timeout: bound } as pg.QueryConfig;
        const results = (await client.query(reset)) as unknown as pg.QueryResult<{ n: number }>[];
        const prepared = results.at(-1)?.rows[0]?.n;
        // A statement prepared by SQL (PREPARE) is the one thing the reset keeps: such a connection is not reused.
        if (prepared !== 0) this.#broken ??= new Error(`the session kept ${String(prepared)} prepared statement(s) of its own`);
      } catch (error) {
        this.#broken ??= error instanceof Error ? error : new Error(errorMessageOf(error));
      }
    }
    client.off('error', this.#onClientError);
    // release(error) makes the pool close the connection instead of keeping it.
    if (this.#broken === null) client.release();
    else client.release(this.#broken);
  }

  async #backendPid(): Promise<number> {
    let pid = backendPids.get(this.#client);
    if (pid === undefined) {
      const result = await this.#client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      pid = result.rows[0]?.pid ?? 0;
      backendPids.set(this.#client, pid);
    }
    return pid;
  }

  /**
   * Runs one statement with a client-side watchdog behind the server's statement_timeout: should a statement
   * outlive the timeout (a statement that changed statement_timeout itself, a server that does not honour it),
   * the watchdog cancels it with pg_cancel_backend() from a separate connection, and if even that does not end
   * it, gives up on the connection. A connection the watchdog had to act on is closed afterwards.
   */
  async #runWatched(query: Pipeline, pid: number, timeoutMs: number): Promise<PortalResult[]> {
    if (timeoutMs === 0) return Pipeline.run(this.#client, query);
    let abortTimer: NodeJS.Timeout | undefined;
    const watchdog = setTimeout(() => {
      // A cancel arriving after the statement ended could hit a later one: this connection is not reused.
      this.#broken ??= new Error('statement cancelled by the watchdog');
      void cancelBackend(this.#spec, pid).catch(() => undefined);
      abortTimer = setTimeout(() => {
        const error = new EngineError(
          'TIMEOUT',
          `the statement was still running ${CANCEL_GRACE_MS} ms after it was cancelled for exceeding the ${timeoutMs} ms statement timeout; its connection was closed`,
          null,
        );
        this.#broken ??= error;
        query.abort(error);
      }, CANCEL_GRACE_MS);
    }, timeoutMs + WATCHDOG_GRACE_MS);
    try {
      return await Pipeline.run(this.#client, query);
    } finally {
      clearTimeout(watchdog);
      clearTimeout(abortTimer);
    }
  }

  /**
   * Names and types of the result columns, with their source: RowDescription carries the table OID and attribute
   * number of a column taken unchanged from a relation (resolved by the planner through aliases, subqueries and
   * CTEs; 0 for expressions); they are looked up in the catalog within the transaction, after the statement. Only
   * tables, partitioned tables, foreign tables and materialized views count as sources: a view's column may be any
   * expression.
   *
   * The lookup usually rode along in the statement's own round trip (`catalog`), asked for the columns a text of
   * the same shape returned the last time; it is used only when it asked for every column returned now, otherwise the
   * columns are looked up here. Either way the answer comes from this transaction, after the statement: nothing
   * about sources is cached, only which columns to ask for.
   */
  async #columnsOf(sql: string | null, fields: readonly WireField[], catalog: CatalogLookup | null): Promise<ResultColumn[]> {
    const client = this.#client;
    const known = this.#pool.typeNames;
    const unknownTypes = [...new Set(fields.map((f) => f.dataTypeID))].filter((oid) => !BUILTIN_TYPE_NAMES.has(oid) && !known.has(oid));
    if (unknownTypes.length > 0) {
      const result = await client.query<{ oid: string; typname: string }>(
        'SELECT oid::text AS oid, typname FROM pg_catalog.pg_type WHERE oid = ANY($1::oid[])',
        [unknownTypes],
      );
      for (const row of result.rows) known.set(Number(row.oid), row.typname);
    }
    const fromTables = fields.filter((f) => f.tableID !== 0);
    const wanted: ColumnKeys = { rels: fromTables.map((f) => String(f.tableID)), nums: fromTables.map((f) => String(f.columnID)) };
    let rows: readonly (string | null)[][] = [];
    if (catalog && coversAll(catalog.asked, wanted)) rows = catalog.rows;
    else if (fromTables.length > 0) rows = (await Pipeline.run(client, new Pipeline([{ ...catalogStep(wanted), keepRows: true }])))[0]!.rows;
    if (sql !== null) {
      if (fromTables.length > 0) this.#pool.columnSources.set(shapeOf(sql), wanted);
      else this.#pool.columnSources.delete(shapeOf(sql));
    }
    const sources = new Map<string, ColumnSource>();
    for (const [rel, num, schema, table, column] of rows) sources.set(`${rel}/${num}`, { schema: schema!, table: table!, column: column! });
    return fields.map(({ name, dataTypeID, tableID, columnID }) => ({
      name,
      type: BUILTIN_TYPE_NAMES.get(dataTypeID) ?? known.get(dataTypeID) ?? String(dataTypeID),
      source: sources.get(`${tableID}/${columnID}`) ?? null,
    }));
  }
}

/** Relation OIDs and attribute numbers of result columns, as decimal text (pg's text parameter format). */
interface ColumnKeys {
  rels: string[];
  nums: string[];
}

/** A catalog lookup pipelined after a statement: what it asked for and the rows it returned. */
interface CatalogLookup {
  asked: ColumnKeys;
  rows: (string | null)[][];
}

/** What a request's transaction starts with. The numbers are ours (validated integers), not user input. */
function transactionOpening(readOnly: boolean, timeoutMs: number): PipelineStep[] {
  const settings = [
    // Unqualified names resolve to `public`, the schema grants assume for them (never a role's own path).
    "set_config('search_path', 'public', true)",
    "set_config('DateStyle', 'ISO', true)",
    "set_config('bytea_output', 'hex', true)",
    // With no timeout configured the server's/role's own statement_timeout is left in force.
    ...(timeoutMs > 0 ? [`set_config('statement_timeout', '${timeoutMs}', true)`] : []),
  ];
  // set_config(…, true) is SET LOCAL; one statement sets them all.
  return [readOnly ? 'BEGIN READ ONLY' : 'BEGIN', `SELECT ${settings.join(', ')}`].map((text) => ({ text, values: [], limit: 0, keepRows: false, describe: false, name: ownStatementName(text) }));
}

/** Rows of (rel, num, schema, table, column) for the given columns that come from a table-like relation. */
function catalogStep(keys: ColumnKeys): PipelineStep {
  return {
    text: `SELECT k.rel::text, k.num::text, n.nspname, c.relname, a.attname
             FROM unnest($1::oid[], $2::int2[]) AS k(rel, num)
             JOIN pg_catalog.pg_class c ON c.oid = k.rel AND c.relkind IN ('r', 'p', 'f', 'm')
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_catalog.pg_attribute a ON a.attrelid = k.rel AND a.attnum = k.num`,
    values: [`{${keys.rels.join(',')}}`, `{${keys.nums.join(',')}}`],
    limit: 0,
    keepRows: true,
    describe: false,
    name: 'accessflow_result_columns',
  };
}

/**
 * Which of the named relations are views or materialized views, and what those read, transitively: the relations a
 * view's rewrite rule depends on. An unqualified name is looked up where the server resolves it: pg_catalog for a
 * pg_ name, else `public` (the pinned search path). Rows of (schema, name, is-a-named-view).
 */
function viewsStep(relations: readonly RelationName[]): PipelineStep {
  const candidates = relations.flatMap(({ schema, name }) =>
    schema !== null ? [[schema, name]] : name.startsWith('pg_') ? [['pg_catalog', name], ['public', name]] : [['public', name]],
  );
  const text = `WITH RECURSIVE named AS (
      SELECT c.oid FROM unnest($1::text[], $2::text[]) AS r(s, n)
        JOIN pg_catalog.pg_namespace ns ON ns.nspname = r.s
        JOIN pg_catalog.pg_class c ON c.relnamespace = ns.oid AND c.relname = r.n AND c.relkind IN ('v', 'm')
    ), behind(oid) AS (
      SELECT oid FROM named
      UNION
      SELECT d.refobjid FROM behind
        JOIN pg_catalog.pg_rewrite w ON w.ev_class = behind.oid
        JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = w.oid AND d.refclassid = 'pg_catalog.pg_class'::regclass
    )
    SELECT n.nspname, c.relname, (c.oid IN (SELECT oid FROM named))::text
      FROM behind JOIN pg_catalog.pg_class c ON c.oid = behind.oid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace`;
  return {
    text,
    values: [textArray(candidates.map(([schema]) => schema!)), textArray(candidates.map(([, name]) => name!))],
    limit: 0,
    keepRows: true,
    describe: false,
    name: ownStatementName(text),
  };
}

/** Most relations a `viewReads` lookup reports before it calls what the views read unknown. */
const MAX_VIEW_READS = 10_000;

/** A PostgreSQL text[] literal of arbitrary strings. */
function textArray(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}

function viewReadsOf(rows: readonly (string | null)[][]): ViewReads {
  const views: RelationName[] = [];
  const relations: RelationName[] = [];
  for (const [schema, name, named] of rows) {
    const relation = { schema: schema!, name: name! };
    relations.push(relation);
    if (named === 'true') views.push(relation);
  }
  return { views, relations: views.length === 0 ? [] : relations };
}

/** The engine's own statements are prepared once per connection under a name derived from their text. */
function ownStatementName(text: string): string {
  return `accessflow_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
}

/**
 * A statement's text with its literals blanked, so that reads differing only in values share their guess of the
 * columns to look up. Only a guess: a wrong one costs the lookup's own round trip, never a wrong answer.
 */
function shapeOf(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b/g, '?');
}

function coversAll(asked: ColumnKeys, wanted: ColumnKeys): boolean {
  const keys = new Set(asked.rels.map((rel, i) => `${rel}/${asked.nums[i]}`));
  return wanted.rels.every((rel, i) => keys.has(`${rel}/${wanted.nums[i]}`));
}

function sslOf(spec: ConnectionSpec): pg.ClientConfig['ssl'] {
  switch (spec.sslMode) {
    case 'DISABLE':
      return false;
    case 'REQUIRE':
      // Encrypted, but any certificate is accepted (libpq's sslmode=require).
      return { rejectUnauthorized: false };
    case 'VERIFY_CA':
      // The chain must lead to a trusted authority (the datasource's own, else the system's); the host name is not checked.
      return { rejectUnauthorized: true, checkServerIdentity: () => undefined, ...trustedAuthorities(spec) };
    case 'VERIFY_FULL':
      // Chain and host name (pg passes the host as servername; Node checks it against the certificate).
      return { rejectUnauthorized: true, ...trustedAuthorities(spec) };
    default:
      throw new TypeError(`unknown SSL mode ${String(spec.sslMode satisfies never)}`);
  }
}

function clientConfig(spec: ConnectionSpec): pg.ClientConfig {
  return {
    host: spec.host,
    port: spec.port,
    database: spec.database,
    user: spec.username,
    // A function, so that an empty password stays empty: pg would otherwise fall back to PGPASSWORD or
    // ~/.pgpass of the AccessFlow host.
    password: () => spec.password,
    ssl: sslOf(spec),
    connectionTimeoutMillis: connectTimeoutOf(spec),
    keepAlive: true,
    application_name: 'AccessFlow',
  };
}

function openPool(spec: ConnectionSpec): PostgresPool {
  const config = clientConfig(spec);
  // The pool's connectionTimeoutMillis bounds the wait for a free connection; each client keeps the (shorter)
  // connect timeout of the spec for establishing its connection.
  class DatasourceClient extends pg.Client {
    constructor() {
      super(config);
    }
  }
  const pool = new pg.Pool({
    ...config,
    Client: DatasourceClient,
    max: poolSizeOf(spec),
    connectionTimeoutMillis: acquireTimeoutOf(spec),
    idleTimeoutMillis: 60_000,
  });
  // An idle connection that fails (server restart, network) is dropped by the pool; nothing else to do.
  pool.on('error', () => undefined);
  return { pool, typeNames: new Map(), columnSources: new LRUCache({ max: COLUMN_SOURCE_TEXTS }) };
}

async function acquire(pool: pg.Pool, spec: ConnectionSpec): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    if (errorMessageOf(error) === 'timeout exceeded when trying to connect') {
      throw new EngineError(
        'TIMEOUT',
        `no connection of the pool (${poolSizeOf(spec)}) became free within ${acquireTimeoutOf(spec)} ms`,
        null,
      );
    }
    throw toEngineError(error, spec, 'connect');
  }
}

/** Cancels the running statement of backend `pid` from a separate, short-lived connection. */
async function cancelBackend(spec: ConnectionSpec, pid: number): Promise<void> {
  const client = new pg.Client({ ...clientConfig(spec), query_timeout: connectTimeoutOf(spec) });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT pg_cancel_backend($1)', [pid]);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const CONNECT_TIMEOUT_MESSAGES = new Set(['timeout expired', 'Connection terminated due to connection timeout']);

/**
 * Maps anything pg throws to an EngineError. SQLSTATE class 28 while connecting is AUTHENTICATION; other errors
 * while connecting are CONNECTION; 57014 (query_canceled: statement_timeout, or the watchdog's cancel) is TIMEOUT;
 * class 08 and the shutdown/termination codes are CONNECTION; every other SQLSTATE is QUERY.
 */
function toEngineError(error: unknown, spec: ConnectionSpec, phase: 'connect' | 'query'): EngineError {
  if (error instanceof EngineError) return error;
  if (error instanceof CopyRefusedError) return new EngineError('QUERY', error.message, error.code);
  const message = redact(errorMessageOf(error), spec);
  if (error instanceof pg.DatabaseError && typeof error.code === 'string') {
    const sqlState = error.code;
    if (phase === 'connect') return new EngineError(sqlState.startsWith('28') ? 'AUTHENTICATION' : 'CONNECTION', message, sqlState);
    if (sqlState === '57014') return new EngineError('TIMEOUT', message, sqlState);
    if (sqlState.startsWith('08') || ['57P01', '57P02', '57P03', '57P05', '25P03'].includes(sqlState)) {
      return new EngineError('CONNECTION', message, sqlState);
    }
    return new EngineError('QUERY', message, sqlState);
  }
  const code = errorField(error, 'code');
  if (typeof code === 'string' && (NETWORK_ERROR_CODES.has(code) || isTlsErrorCode(code))) {
    return new EngineError('CONNECTION', message, code);
  }
  if (CONNECT_TIMEOUT_MESSAGES.has(message) || (phase === 'connect' && errorMessageOf(errorField(error, 'cause')) === 'timeout expired')) {
    return new EngineError('CONNECTION', `could not connect to ${spec.host}:${spec.port} within ${connectTimeoutOf(spec)} ms`, null);
  }
  // pg's own SCRAM/MD5 client side (e.g. an empty password offered to a server that wants one).
  if (/^SASL: |password must be a/i.test(message)) return new EngineError('AUTHENTICATION', message, null);
  // Anything else without a SQLSTATE is the connection failing (terminated, reset, not queryable).
  return new EngineError('CONNECTION', message, typeof code === 'string' ? code : null);
}
