/**
 * Row security (FEATURES C8) as a pure rewriter: per-table predicates `column op value` are injected into the
 * submitted SQL so a user only sees (SELECT) or changes (UPDATE/DELETE) the rows a policy allows.
 *
 * - SELECT: every policied table in the top-level FROM and its JOINs (at any nesting) becomes
 *   `(SELECT * FROM <table> WHERE <predicates>) AS <alias or table name>`, so the rest of the query is unchanged.
 * - UPDATE/DELETE of a policied table: the predicates, qualified with the target's alias or name, are AND-ed into
 *   the WHERE (added when absent).
 * - INSERT into a policied table runs as is (row security filters what is seen or changed, not what is inserted).
 * - Anything else that references a policied table is refused with `RowSecurityUnrewritable`, never run
 *   unfiltered: a UNION/INTERSECT/EXCEPT arm, a CTE body, any subquery or derived table, INSERT … SELECT from it,
 *   UPDATE … FROM / DELETE … USING it (or a multi-table UPDATE/DELETE), upserts and REPLACE into it, MERGE, EXPLAIN,
 *   DDL. After rewriting, the printed SQL is parsed again and every reference to a policied table must sit inside a
 *   filter this module created (the backstop); the printed SQL must also reproduce the rewritten tree.
 *
 * Values are always bound parameters (PostgreSQL `$n` numbered from 1 per statement, MySQL/MariaDB `?`), passed
 * as strings: the server converts them to the column's type. An unresolved value (`values: null`) filters out
 * every row (`false`), as does a comparison without a value; `IN ()` is `false` and `NOT IN ()` is `true`.
 *
 * Table matching: a reference's schema is its own or, unqualified, `defaultSchema`. A predicate with
 * `schema: null` applies to the table of that name in every schema (fail closed). PostgreSQL compares the names
 * as the server folded them (unquoted → lower case, quoted → exact), so predicate names are catalog names;
 * MySQL/MariaDB compare case-insensitively.
 */
import type { BoundStatement } from '../../engines/engine.ts';
import { rewriteMysql, verifyMysql } from './rewrite-mysql.ts';
import { rewritePostgres, verifyPostgres } from './rewrite-postgres.ts';

export type RowOperator =
  | 'EQUALS'
  | 'NOT_EQUALS'
  | 'LESS_THAN'
  | 'LESS_THAN_OR_EQUAL'
  | 'GREATER_THAN'
  | 'GREATER_THAN_OR_EQUAL'
  | 'IN'
  | 'NOT_IN';

export interface RowPredicate {
  policyId: string;
  table: { schema: string | null; name: string };
  column: string;
  operator: RowOperator;
  /**
   * Resolved values. Comparisons use the first, IN/NOT_IN all of them. `null` = an unresolved variable: the
   * predicate filters out every row.
   */
  values: string[] | null;
}

export interface RewriteResult {
  /** One per input statement, in order; parameters bound, never concatenated. */
  statements: BoundStatement[];
  /** Distinct ids of the predicates actually applied, in first-applied order. */
  appliedPolicyIds: string[];
}

/** The statement cannot be filtered safely; it must not run. `reason` is user-facing and names the table. */
export class RowSecurityUnrewritable extends Error {
  readonly reason: string;
  /** The policied table concerned (`schema.name` or `name`), when one is. */
  readonly table: string | null;

  constructor(reason: string, table: string | null = null) {
    super(reason);
    this.name = 'RowSecurityUnrewritable';
    this.reason = reason;
    this.table = table;
  }
}

export type RowDbType = 'POSTGRESQL' | 'MYSQL' | 'MARIADB';

/**
 * Rewrites each statement so it only sees/changes the rows the predicates allow, or throws
 * `RowSecurityUnrewritable`. Statements without a policied table come back unchanged (same text, no params).
 */
export async function rewriteForRowSecurity(
  dbType: RowDbType,
  statements: string[],
  predicates: RowPredicate[],
  defaultSchema: string,
): Promise<RewriteResult> {
  for (const predicate of predicates) validatePredicate(predicate);
  if (predicates.length === 0) {
    return { statements: statements.map((sql) => ({ sql, params: [] })), appliedPolicyIds: [] };
  }
  switch (dbType) {
    case 'POSTGRESQL':
      return rewritePostgres(statements, predicates, defaultSchema);
    case 'MYSQL':
    case 'MARIADB':
      return rewriteMysql(statements, predicates, defaultSchema, dbType);
    default:
      throw new TypeError(`unknown database type ${String(dbType satisfies never)}`);
  }
}

/**
 * The backstop on its own, for a finished statement (e.g. one produced by `rewriteForRowSecurity`): resolves when
 * every reference to a policied table is filtered exactly as the rewriter filters it — the only FROM item of a
 * `(SELECT * FROM t WHERE <all of t's predicates>)` wrapper, the filtered UPDATE/DELETE target, or a plain
 * INSERT target — with parameter values equal to the predicates' values; throws `RowSecurityUnrewritable`
 * otherwise. Parameters must be strings.
 */
export async function verifyRowSecurity(
  dbType: RowDbType,
  statement: BoundStatement,
  predicates: RowPredicate[],
  defaultSchema: string,
): Promise<void> {
  for (const predicate of predicates) validatePredicate(predicate);
  const params: string[] = [];
  for (const param of statement.params) {
    if (typeof param !== 'string') throw backstop(null, 'row-security parameters are strings');
    params.push(param);
  }
  switch (dbType) {
    case 'POSTGRESQL':
      return verifyPostgres(statement.sql, params, predicates, defaultSchema);
    case 'MYSQL':
    case 'MARIADB':
      verifyMysql(statement.sql, params, predicates, defaultSchema, dbType);
      return;
    default:
      throw new TypeError(`unknown database type ${String(dbType satisfies never)}`);
  }
}

// ------------------------------------------------------------------------------------------------
// Shared by the engine-specific rewriters.
// ------------------------------------------------------------------------------------------------

const OPERATORS: ReadonlySet<string> = new Set<RowOperator>([
  'EQUALS', 'NOT_EQUALS', 'LESS_THAN', 'LESS_THAN_OR_EQUAL', 'GREATER_THAN', 'GREATER_THAN_OR_EQUAL', 'IN', 'NOT_IN',
]);

function validatePredicate(predicate: RowPredicate): void {
  if (!OPERATORS.has(predicate.operator)) throw new TypeError(`unknown row operator ${String(predicate.operator)}`);
  if (predicate.table.name === '' || predicate.column === '') {
    throw new TypeError(`row-security policy ${predicate.policyId} has an empty table or column name`);
  }
  if (predicate.values !== null && !predicate.values.every((value) => typeof value === 'string')) {
    throw new TypeError(`row-security policy ${predicate.policyId} has a value that is not a string`);
  }
}

/** SQL comparison operator of a non-list operator (the same on every engine). */
export const COMPARISON: Record<Exclude<RowOperator, 'IN' | 'NOT_IN'>, string> = {
  EQUALS: '=',
  NOT_EQUALS: '<>',
  LESS_THAN: '<',
  LESS_THAN_OR_EQUAL: '<=',
  GREATER_THAN: '>',
  GREATER_THAN_OR_EQUAL: '>=',
};

/**
 * What one predicate becomes: a constant (`false` filters out every row, `true` keeps them), a comparison with
 * one parameter, or an IN / NOT IN list of parameters.
 */
export type PredicateShape =
  | { kind: 'constant'; value: boolean }
  | { kind: 'compare'; operator: string; value: string }
  | { kind: 'list'; negated: boolean; values: string[] };

export function predicateShape(predicate: RowPredicate): PredicateShape {
  const { operator, values } = predicate;
  if (values === null) return { kind: 'constant', value: false };
  if (operator === 'IN' || operator === 'NOT_IN') {
    if (values.length === 0) return { kind: 'constant', value: operator === 'NOT_IN' };
    return { kind: 'list', negated: operator === 'NOT_IN', values: [...values] };
  }
  const [first] = values;
  if (first === undefined) return { kind: 'constant', value: false };
  return { kind: 'compare', operator: COMPARISON[operator], value: first };
}

/** `schema.name`, or `name` without a schema (for messages). */
export function displayTable(schema: string | null, name: string): string {
  return schema === null ? name : `${schema}.${name}`;
}

/** Finds the predicates that apply to a table reference, with the engine's identifier comparison. */
export class PredicateIndex {
  readonly #predicates: RowPredicate[];
  readonly #defaultSchema: string;
  readonly #caseInsensitive: boolean;
  readonly #names: Set<string>;

  constructor(predicates: RowPredicate[], defaultSchema: string, caseInsensitive: boolean) {
    this.#predicates = predicates;
    this.#defaultSchema = defaultSchema;
    this.#caseInsensitive = caseInsensitive;
    this.#names = new Set(predicates.map((predicate) => this.#fold(predicate.table.name)));
  }

  #fold(name: string): string {
    return this.#caseInsensitive ? name.toLowerCase() : name;
  }

  /** Predicates on the referenced table (an unqualified reference is in the default schema); [] if none. */
  forTable(schema: string | null, name: string): RowPredicate[] {
    const resolved = this.#fold(schema ?? this.#defaultSchema);
    const folded = this.#fold(name);
    return this.#predicates.filter(
      (predicate) =>
        this.#fold(predicate.table.name) === folded &&
        (predicate.table.schema === null || this.#fold(predicate.table.schema) === resolved),
    );
  }

  /** Is some predicate on a table of this name (in any schema)? */
  hasName(name: string): boolean {
    return this.#names.has(this.#fold(name));
  }

  /** The reference as the user should read it: its own schema, else the default one. */
  display(schema: string | null, name: string): string {
    return displayTable(schema ?? this.#defaultSchema, name);
  }
}

/** Collects applied policy ids in first-applied order. */
export class AppliedPolicies {
  readonly #ids = new Set<string>();

  add(predicates: Iterable<RowPredicate>): void {
    for (const predicate of predicates) this.#ids.add(predicate.policyId);
  }

  addAll(ids: Iterable<string>): void {
    for (const id of ids) this.#ids.add(id);
  }

  toArray(): string[] {
    return [...this.#ids];
  }
}

/** The message for a reference the rewriter cannot filter. */
export function unrewritable(table: string, where: string): RowSecurityUnrewritable {
  return new RowSecurityUnrewritable(
    `row security cannot be applied to table ${table} referenced in ${where}: a row-secured table may only appear ` +
      'directly in the FROM/JOIN list of a plain SELECT, as the target of an UPDATE or DELETE, or as the target ' +
      'of a plain INSERT',
    table,
  );
}

/** The backstop found something the rewriter should have prevented: refuse, never run. */
export function backstop(table: string | null, detail: string): RowSecurityUnrewritable {
  return new RowSecurityUnrewritable(
    `row security could not verify the rewritten statement${table === null ? '' : ` for table ${table}`}: ${detail}`,
    table,
  );
}
