/**
 * The SQL classifier's contract (FEATURES C1): what a submitted query does, which tables it touches and whether
 * it is proven read-only. `postgres.ts` (libpg-query, the real PostgreSQL parser) and `mysql.ts`
 * (node-sql-parser behind a MySQL-accurate lexer) produce it; policy code consumes it.
 *
 * Everything here fails closed: a statement is read-only only when proven, an unknown construct is rejected or
 * made "not read-only", and a table reference is reported rather than dropped whenever there is doubt.
 */

export type QueryType = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'DDL';

/**
 * A table (or other relation) as the server resolves it. PostgreSQL: the parser already folded unquoted
 * identifiers to lower case and kept quoted ones, so `"Public".t` and `public.t` differ. MySQL/MariaDB: always
 * lower case, because a case-insensitive server treats `Secret` and `secret` alike. `schema` is null when the
 * reference is unqualified (resolved by search_path / the current database). `name` is `*` for a whole schema
 * (`DROP SCHEMA s`, `CREATE DATABASE d`). MySQL's names as written (a case-sensitive server tells them apart) are
 * kept beside these in `writtenTables`, which grants are checked against.
 */
export interface TableRef {
  schema: string | null;
  name: string;
}

export interface StatementInfo {
  type: QueryType;
  /** The statement's own text, trimmed, without the separating semicolon. */
  text: string;
  tables: TableRef[];
  /** The tables as written: MySQL/MariaDB names keep their case here (for grants, compared exactly). PostgreSQL: `tables`. */
  writtenTables: TableRef[];
  /** UPDATE/DELETE: every UPDATE/DELETE in it (CTEs included) has a WHERE. SELECT: the top level has one. Else false. */
  hasWhere: boolean;
  /** The top-level statement has a LIMIT / FETCH FIRST with a count (not LIMIT ALL). */
  hasLimit: boolean;
  readOnly: boolean;
  /** Functions and operators called that are not known to be side-effect free: they may read any table. */
  opaqueCalls: string[];
}

export interface Classification {
  /** Strongest in the batch: DDL > DELETE > UPDATE > INSERT > SELECT. */
  type: QueryType;
  /** One entry, or the inner statements of a BEGIN … COMMIT batch (without BEGIN/COMMIT). */
  statements: StatementInfo[];
  /** Every table referenced anywhere, deduplicated, CTE names excluded. */
  tables: TableRef[];
  /** The same, as written (see StatementInfo.writtenTables). */
  writtenTables: TableRef[];
  /** Every SELECT/UPDATE/DELETE statement has a WHERE (see StatementInfo.hasWhere); false when there is none. */
  hasWhere: boolean;
  /** Every statement has a LIMIT. */
  hasLimit: boolean;
  /** Was a BEGIN/START TRANSACTION … COMMIT batch. */
  transactional: boolean;
  /** Proven read-only; false unless certain. */
  readOnly: boolean;
  /** Every statement's opaque calls (see StatementInfo.opaqueCalls), deduplicated. */
  opaqueCalls: string[];
}

/** One statement of a script, for reviewing a file statement by statement (never for execution). */
export interface ScriptStatement {
  /** Character offsets in the script: of its first token (leading comments skipped), and of its end (no semicolon). */
  start: number;
  end: number;
  /** The statement with any leading comments (a MySQL executable comment among them must still be seen). */
  text: string;
  /** BEGIN / START TRANSACTION / COMMIT / ROLLBACK / SAVEPOINT …: not a statement to review on its own. */
  transactionControl: boolean;
}

export type RejectionReason =
  | 'EMPTY'
  | 'PARSE_ERROR'
  | 'MULTIPLE_STATEMENTS'
  | 'UNSUPPORTED_STATEMENT'
  | 'UNSAFE_FUNCTION'
  | 'EXECUTABLE_COMMENT'
  | 'FILE_ACCESS'
  | 'MIXED_TRANSACTION';

/** The query is refused outright. `message` is user-facing. */
export class SqlRejected extends Error {
  readonly reason: RejectionReason;

  constructor(reason: RejectionReason, message: string) {
    super(message);
    this.name = 'SqlRejected';
    this.reason = reason;
  }
}

const STRENGTH: Record<QueryType, number> = { SELECT: 0, INSERT: 1, UPDATE: 2, DELETE: 3, DDL: 4 };

/** The stronger of two types. */
export const stronger = (a: QueryType, b: QueryType): QueryType => (STRENGTH[b] > STRENGTH[a] ? b : a);

/** The strongest of the given types (SELECT for none). */
export function strongest(types: Iterable<QueryType>): QueryType {
  let result: QueryType = 'SELECT';
  for (const type of types) if (STRENGTH[type] > STRENGTH[result]) result = type;
  return result;
}

/** Data-changing statement types allowed inside a BEGIN … COMMIT batch. */
export function isDml(type: QueryType): boolean {
  return type === 'INSERT' || type === 'UPDATE' || type === 'DELETE';
}

/** Past this many references a set also keeps an index (a statement usually names a handful, which a scan beats). */
const SCANNED_REFS = 16;

/** Collects table references in first-seen order without duplicates. */
export class TableSet {
  readonly #refs: TableRef[] = [];
  #index: Set<string> | null = null;

  add(ref: TableRef): void {
    const refs = this.#refs;
    if (this.#index === null) {
      for (const seen of refs) if (seen.name === ref.name && seen.schema === ref.schema) return;
      refs.push({ schema: ref.schema, name: ref.name });
      if (refs.length > SCANNED_REFS) this.#index = new Set(refs.map(keyOf));
      return;
    }
    const key = keyOf(ref);
    if (this.#index.has(key)) return;
    this.#index.add(key);
    refs.push({ schema: ref.schema, name: ref.name });
  }

  addAll(refs: Iterable<TableRef>): void {
    for (const ref of refs) this.add(ref);
  }

  toArray(): TableRef[] {
    return this.#refs.slice();
  }
}

const keyOf = (ref: TableRef): string => `${ref.schema ?? ''}\u0000${ref.name}`;

/** Combines the statements of one submission into its classification. */
export function combine(statements: StatementInfo[], transactional: boolean): Classification {
  const [only] = statements;
  if (statements.length === 1 && only !== undefined) {
    // One statement (the common case): its own findings, its tables already without duplicates.
    const filtered = only.type === 'SELECT' || only.type === 'UPDATE' || only.type === 'DELETE';
    return {
      type: only.type,
      statements,
      tables: only.tables.slice(),
      writtenTables: only.writtenTables.slice(),
      hasWhere: filtered && only.hasWhere,
      hasLimit: only.hasLimit,
      transactional,
      readOnly: only.readOnly,
      opaqueCalls: only.opaqueCalls,
    };
  }
  const tables = new TableSet();
  const writtenTables = new TableSet();
  for (const statement of statements) {
    tables.addAll(statement.tables);
    writtenTables.addAll(statement.writtenTables);
  }
  const filtered = statements.filter((s) => s.type === 'SELECT' || s.type === 'UPDATE' || s.type === 'DELETE');
  return {
    type: strongest(statements.map((s) => s.type)),
    statements,
    tables: tables.toArray(),
    writtenTables: writtenTables.toArray(),
    hasWhere: filtered.length > 0 && filtered.every((s) => s.hasWhere),
    hasLimit: statements.length > 0 && statements.every((s) => s.hasLimit),
    transactional,
    readOnly: statements.length > 0 && statements.every((s) => s.readOnly),
    opaqueCalls: [...new Set(statements.flatMap((s) => s.opaqueCalls))],
  };
}

/** Validates the shape of a BEGIN … COMMIT batch's inner statements (already classified). */
export function checkBatch(statements: StatementInfo[]): void {
  if (statements.length === 0) throw new SqlRejected('MIXED_TRANSACTION', 'the transaction contains no statements');
  for (const statement of statements) {
    if (!isDml(statement.type)) {
      throw new SqlRejected(
        'MIXED_TRANSACTION',
        `a transaction may contain only INSERT, UPDATE and DELETE statements, not ${statement.type}: ${abbreviate(statement.text)}`,
      );
    }
  }
}

/** Shortens SQL for a message. */
export function abbreviate(sql: string, max = 60): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
