/**
 * PostgreSQL row-security rewriter: the libpg-query parse tree (PostgreSQL 18's own parser) is rewritten and
 * printed with pgsql-deparser. Two checks guard the output, both on the printed text parsed again:
 *
 * 1. Fidelity: the re-parsed tree equals the rewritten tree (locations aside), so the deparser printed exactly
 *    what was meant — nothing dropped, no precedence changed.
 * 2. Backstop: every reference to a policied table is the only FROM item of a `(SELECT * FROM t WHERE …) AS a`
 *    wrapper whose WHERE carries all of that table's predicates with the right parameter values, or the filtered
 *    UPDATE/DELETE target, or a plain INSERT target.
 */
import { parseSync } from 'libpg-query';
import { loadPgParser } from '../../engines/sql/pg-parser.ts';
import { deparseSync } from 'pgsql-deparser';
import type { BoundStatement } from '../../engines/engine.ts';
import {
  AppliedPolicies,
  backstop,
  PredicateIndex,
  predicateShape,
  RowSecurityUnrewritable,
  unrewritable,
  type RewriteResult,
  type RowPredicate,
} from './rewrite.ts';
import { isObj, list, str, unwrap, type Obj } from '../../engines/sql/pg-ast.ts';

/**
 * Policies are stored with lower-case names, so table names are compared case-insensitively here too: a quoted
 * "Orders" is filtered by a policy on orders. That can only filter more (a policy may also cover a different
 * table that differs in case), never let a policied table through unfiltered.
 */
const CASE_INSENSITIVE_NAMES = true;

function parseStatements(sql: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = parseSync(sql);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new RowSecurityUnrewritable(`row security could not parse the statement: ${message}`);
  }
  return (isObj(parsed) ? list(parsed.stmts) : []).map((entry) => (isObj(entry) ? entry.stmt : undefined));
}

const LOCATION_KEYS = /^(?:location|stmt_location|stmt_len|\w*list_start|\w*list_end)$/;

/** Canonical JSON: keys sorted, source locations dropped. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObj(value)) {
    const keys = Object.keys(value)
      .filter((key) => !LOCATION_KEYS.test(key) && value[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

// ------------------------------------------------------------------------------------------------
// Node builders (shaped exactly as the parser produces them, which the fidelity check verifies).
// ------------------------------------------------------------------------------------------------

const string = (sval: string): Obj => ({ String: { sval } });
const columnRef = (qualifier: string, column: string): Obj => ({ ColumnRef: { fields: [string(qualifier), string(column)] } });
const boolConst = (value: boolean): Obj => ({ A_Const: { boolval: value ? { boolval: true } : {} } });
const paramRef = (number: number): Obj => ({ ParamRef: { number } });

/** Collects the parameters of one statement ($1 …). */
class Params {
  readonly values: string[] = [];

  next(value: string): Obj {
    this.values.push(value);
    return paramRef(this.values.length);
  }
}

function predicateNode(predicate: RowPredicate, qualifier: string, params: Params): Obj {
  const shape = predicateShape(predicate);
  const column = columnRef(qualifier, predicate.column);
  switch (shape.kind) {
    case 'constant':
      return boolConst(shape.value);
    case 'compare':
      return { A_Expr: { kind: 'AEXPR_OP', name: [string(shape.operator)], lexpr: column, rexpr: params.next(shape.value) } };
    case 'list':
      return {
        A_Expr: {
          kind: 'AEXPR_IN',
          name: [string(shape.negated ? '<>' : '=')],
          lexpr: column,
          rexpr: { List: { items: shape.values.map((value) => params.next(value)) } },
        },
      };
  }
}

/** `a AND b AND …` as the parser builds it: one flat BoolExpr (a left operand that is an AND is extended). */
function and(args: Obj[]): Obj {
  const [first, ...rest] = args;
  if (first === undefined) return boolConst(true);
  if (rest.length === 0) return first;
  const head = unwrap(first);
  if (head?.[0] === 'BoolExpr' && head[1].boolop === 'AND_EXPR') {
    return { BoolExpr: { boolop: 'AND_EXPR', args: [...list(head[1].args), ...rest] } };
  }
  return { BoolExpr: { boolop: 'AND_EXPR', args } };
}

// ------------------------------------------------------------------------------------------------
// Finding references to policied tables, with where they are (for messages).
// ------------------------------------------------------------------------------------------------

interface Reference {
  rangeVar: Obj;
  predicates: RowPredicate[];
  display: string;
  /** The construct the reference is nested in, or null at the statement's top level. */
  context: string | null;
}

const CLAUSES: Record<string, string> = {
  targetList: 'the select list',
  whereClause: 'WHERE',
  havingClause: 'HAVING',
  groupClause: 'GROUP BY',
  sortClause: 'ORDER BY',
  quals: 'a JOIN … ON condition',
  valuesLists: 'VALUES',
  returningList: 'RETURNING',
  limitCount: 'LIMIT',
  limitOffset: 'OFFSET',
  windowClause: 'WINDOW',
  distinctClause: 'DISTINCT ON',
  functions: 'a function in FROM',
};

const STATEMENT_LABELS: Record<string, string> = {
  MergeStmt: 'a MERGE statement',
  ExplainStmt: 'an EXPLAIN statement (not supported on row-secured tables)',
  CopyStmt: 'a COPY statement',
  TruncateStmt: 'a TRUNCATE statement',
  CreateTableAsStmt: 'CREATE TABLE … AS / CREATE MATERIALIZED VIEW',
  ViewStmt: 'a view definition',
};

/** The label of a statement kind other than SELECT/INSERT/UPDATE/DELETE. */
function statementLabel(type: string): string {
  const label = STATEMENT_LABELS[type];
  if (label !== undefined) return label;
  const name = type.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name} statement`;
}

class ReferenceFinder {
  readonly references: Reference[] = [];
  /** CTE names defined anywhere in the statement. */
  readonly cteNames: string[] = [];
  hasParams = false;
  readonly #index: PredicateIndex;

  constructor(index: PredicateIndex) {
    this.#index = index;
  }

  /** @param context the construct that makes a reference unfilterable (the outermost one wins). */
  visit(value: unknown, context: string | null, clause: string | null): void {
    if (Array.isArray(value)) {
      for (const item of value) this.visit(item, context, clause);
      return;
    }
    if (!isObj(value)) return;
    const node = unwrap(value);
    if (node === null) {
      // Statement targets (`relation` of INSERT/UPDATE/DELETE/MERGE, `rel` of INTO) are bare RangeVar bodies.
      if (typeof value.relname === 'string') this.rangeVar(value, context, clause);
      else this.fields(value, null, context, clause);
      return;
    }
    const [type, body] = node;
    switch (type) {
      case 'RangeVar':
        this.rangeVar(body, context, clause);
        return;
      case 'ParamRef':
        this.hasParams = true;
        return;
      case 'CommonTableExpr': {
        const name = str(body.ctename);
        if (name !== null) this.cteNames.push(name);
        this.fields(body, type, context ?? 'a WITH (common table expression) query', clause);
        return;
      }
      case 'SubLink':
        this.fields(body, type, context ?? `a subquery in ${clause ?? 'an expression'}`, clause);
        return;
      case 'RangeSubselect':
        this.fields(body, type, context ?? 'a derived table (subquery in FROM)', clause);
        return;
      case 'RangeFunction':
      case 'RangeTableFunc':
      case 'JsonTable':
        this.fields(body, type, context ?? 'a function in FROM', clause);
        return;
      case 'RangeTableSample':
        this.fields(body, type, context ?? 'a TABLESAMPLE clause', clause);
        return;
      case 'LockingClause':
        this.fields(body, type, context ?? 'FOR UPDATE/SHARE OF', clause);
        return;
      case 'IntoClause':
        this.fields(body, type, context ?? 'SELECT … INTO', clause);
        return;
      case 'SelectStmt': {
        const setOperation = str(body.op) !== null && body.op !== 'SETOP_NONE';
        this.fields(body, type, setOperation ? (context ?? 'a UNION/INTERSECT/EXCEPT arm') : context, clause);
        return;
      }
      case 'InsertStmt':
      case 'UpdateStmt':
      case 'DeleteStmt':
        this.fields(body, type, context, clause);
        return;
      default:
        this.fields(body, type, type.endsWith('Stmt') ? (context ?? statementLabel(type)) : context, clause);
    }
  }

  private rangeVar(body: Obj, context: string | null, clause: string | null): void {
    const name = str(body.relname);
    if (name === null) return;
    const schema = str(body.schemaname);
    const predicates = this.#index.forTable(schema, name);
    if (predicates.length > 0) {
      this.references.push({ rangeVar: body, predicates, display: this.#index.display(schema, name), context });
    }
    this.visit(body.alias, context, clause);
  }

  private fields(body: Obj, type: string | null, context: string | null, clause: string | null): void {
    for (const [key, child] of Object.entries(body)) {
      let inner = context;
      if (type === 'UpdateStmt' && key === 'fromClause') inner = context ?? 'UPDATE … FROM';
      else if (type === 'DeleteStmt' && key === 'usingClause') inner = context ?? 'DELETE … USING';
      else if (type === 'InsertStmt' && key === 'selectStmt') inner = context ?? 'INSERT … SELECT / VALUES';
      else if (type === 'InsertStmt' && key === 'onConflictClause') inner = context ?? 'INSERT … ON CONFLICT';
      else if (key === 'intoClause') inner = context ?? 'SELECT … INTO';
      else if (type === 'UpdateStmt' && key === 'targetList') {
        this.visit(child, context, 'SET');
        continue;
      }
      this.visit(child, inner, CLAUSES[key] ?? clause);
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Rewriting.
// ------------------------------------------------------------------------------------------------

interface Rewrite {
  /** RangeVar bodies that are filtered (wrapped, UPDATE/DELETE target) or allowed (INSERT target). */
  readonly handled: Set<Obj>;
  readonly params: Params;
  readonly applied: Set<string>;
  changed: boolean;
}

function findReferences(stmt: unknown, index: PredicateIndex): ReferenceFinder {
  const finder = new ReferenceFinder(index);
  finder.visit(stmt, null, null);
  return finder;
}

/** Replaces policied tables in a FROM list (and the join trees in it) by filtering subqueries. */
function rewriteFromList(items: unknown[], index: PredicateIndex, rewrite: Rewrite): unknown[] {
  return items.map((item) => rewriteFromItem(item, index, rewrite));
}

function rewriteFromItem(item: unknown, index: PredicateIndex, rewrite: Rewrite): unknown {
  const node = unwrap(item);
  if (node === null) return item;
  const [type, body] = node;
  if (type === 'JoinExpr') {
    return { JoinExpr: { ...body, larg: rewriteFromItem(body.larg, index, rewrite), rarg: rewriteFromItem(body.rarg, index, rewrite) } };
  }
  if (type !== 'RangeVar') return item;
  const name = str(body.relname);
  if (name === null) return item;
  const predicates = index.forTable(str(body.schemaname), name);
  if (predicates.length === 0) return item;
  const { alias, ...relation } = body;
  const where = and(predicates.map((predicate) => predicateNode(predicate, name, rewrite.params)));
  rewrite.handled.add(relation);
  for (const predicate of predicates) rewrite.applied.add(predicate.policyId);
  rewrite.changed = true;
  return {
    RangeSubselect: {
      subquery: {
        SelectStmt: {
          targetList: [{ ResTarget: { val: { ColumnRef: { fields: [{ A_Star: {} }] } } } }],
          fromClause: [{ RangeVar: relation }],
          whereClause: where,
          limitOption: 'LIMIT_OPTION_DEFAULT',
          op: 'SETOP_NONE',
        },
      },
      alias: isObj(alias) ? alias : { aliasname: name },
    },
  };
}

/** ANDs the target's predicates into an UPDATE/DELETE's WHERE. */
function filterTarget(body: Obj, index: PredicateIndex, rewrite: Rewrite, display: (schema: string | null, name: string) => string): Obj {
  const relation = isObj(body.relation) ? body.relation : null;
  const name = relation ? str(relation.relname) : null;
  if (relation === null || name === null) return body;
  const predicates = index.forTable(str(relation.schemaname), name);
  if (predicates.length === 0) return body;
  if (unwrap(body.whereClause)?.[0] === 'CurrentOfExpr') {
    throw unrewritable(display(str(relation.schemaname), name), 'WHERE CURRENT OF (cursors are not supported)');
  }
  const qualifier = isObj(relation.alias) ? (str(relation.alias.aliasname) ?? name) : name;
  const filters = predicates.map((predicate) => predicateNode(predicate, qualifier, rewrite.params));
  const existing = isObj(body.whereClause) ? [body.whereClause] : [];
  rewrite.handled.add(relation);
  for (const predicate of predicates) rewrite.applied.add(predicate.policyId);
  rewrite.changed = true;
  return { ...body, whereClause: and([...existing, ...filters]) };
}

function rewriteStatement(stmt: unknown, index: PredicateIndex, rewrite: Rewrite): unknown {
  const node = unwrap(stmt);
  if (node === null) return stmt;
  const [type, body] = node;
  const display = (schema: string | null, name: string): string => index.display(schema, name);
  switch (type) {
    case 'SelectStmt':
      if (str(body.op) !== null && body.op !== 'SETOP_NONE') return stmt;
      if (!Array.isArray(body.fromClause)) return stmt;
      return { SelectStmt: { ...body, fromClause: rewriteFromList(body.fromClause, index, rewrite) } };
    case 'UpdateStmt':
    case 'DeleteStmt':
      return { [type]: filterTarget(body, index, rewrite, display) };
    case 'InsertStmt': {
      const relation = isObj(body.relation) ? body.relation : null;
      const name = relation ? str(relation.relname) : null;
      if (relation === null || name === null || index.forTable(str(relation.schemaname), name).length === 0) return stmt;
      const conflict = isObj(body.onConflictClause) ? body.onConflictClause : null;
      if (conflict !== null && conflict.action === 'ONCONFLICT_UPDATE') {
        throw unrewritable(
          display(str(relation.schemaname), name),
          'INSERT … ON CONFLICT DO UPDATE (it would change existing rows the policy may hide)',
        );
      }
      rewrite.handled.add(relation);
      return stmt;
    }
    default:
      return stmt;
  }
}

// ------------------------------------------------------------------------------------------------
// Backstop on the re-parsed output.
// ------------------------------------------------------------------------------------------------

/** The operands of a top-level AND (or the expression itself). */
function conjuncts(expression: unknown): unknown[] {
  const node = unwrap(expression);
  if (node?.[0] === 'BoolExpr' && node[1].boolop === 'AND_EXPR') return list(node[1].args).flatMap(conjuncts);
  return [expression];
}

function isColumn(value: unknown, qualifier: string, column: string): boolean {
  const node = unwrap(value);
  if (node?.[0] !== 'ColumnRef') return false;
  const fields = list(node[1].fields).map((field) => {
    const inner = unwrap(field);
    return inner?.[0] === 'String' ? str(inner[1].sval) : null;
  });
  return fields.length === 2 && fields[0] === qualifier && fields[1] === column;
}

function isParam(value: unknown, expected: string, params: readonly string[]): boolean {
  const node = unwrap(value);
  if (node?.[0] !== 'ParamRef') return false;
  const number = node[1].number;
  return typeof number === 'number' && number >= 1 && params[number - 1] === expected;
}

function operatorName(body: Obj): string | null {
  const names = list(body.name);
  const only = names.length === 1 ? unwrap(names[0]) : null;
  return only?.[0] === 'String' ? str(only[1].sval) : null;
}

/** Does the expression enforce the predicate on `qualifier.column` (with the right parameter values)? */
function enforces(expression: unknown, predicate: RowPredicate, qualifier: string, params: readonly string[]): boolean {
  const shape = predicateShape(predicate);
  const node = unwrap(expression);
  if (node === null) return false;
  const [type, body] = node;
  switch (shape.kind) {
    case 'constant': {
      if (type !== 'A_Const' || !isObj(body.boolval)) return false;
      return (body.boolval.boolval === true) === shape.value;
    }
    case 'compare':
      return (
        type === 'A_Expr' &&
        body.kind === 'AEXPR_OP' &&
        operatorName(body) === shape.operator &&
        isColumn(body.lexpr, qualifier, predicate.column) &&
        isParam(body.rexpr, shape.value, params)
      );
    case 'list': {
      if (type !== 'A_Expr' || body.kind !== 'AEXPR_IN' || operatorName(body) !== (shape.negated ? '<>' : '=')) return false;
      if (!isColumn(body.lexpr, qualifier, predicate.column)) return false;
      const items = unwrap(body.rexpr);
      if (items?.[0] !== 'List') return false;
      const values = list(items[1].items);
      return values.length === shape.values.length && values.every((value, i) => isParam(value, shape.values[i] ?? '', params));
    }
  }
}

function enforcesAll(where: unknown, predicates: RowPredicate[], qualifier: string, params: readonly string[]): boolean {
  const parts = conjuncts(where);
  return predicates.every((predicate) => parts.some((part) => enforces(part, predicate, qualifier, params)));
}

const WRAPPER_KEYS = new Set(['targetList', 'fromClause', 'whereClause', 'limitOption', 'op']);

/** Is this SelectStmt body exactly `SELECT * FROM <rangeVar> WHERE …` with the table's predicates? */
function isWrapper(select: Obj, index: PredicateIndex, params: readonly string[]): Obj | null {
  if (!Object.keys(select).every((key) => WRAPPER_KEYS.has(key))) return null;
  if (select.op !== 'SETOP_NONE' || select.limitOption !== 'LIMIT_OPTION_DEFAULT') return null;
  const targets = list(select.targetList);
  const target = targets.length === 1 ? unwrap(targets[0]) : null;
  if (target?.[0] !== 'ResTarget' || Object.keys(target[1]).some((key) => key !== 'val' && key !== 'location')) return null;
  const star = unwrap(target[1].val);
  if (star?.[0] !== 'ColumnRef' || canonical(star[1].fields) !== '[{"A_Star":{}}]') return null;
  const from = list(select.fromClause);
  const relation = from.length === 1 ? unwrap(from[0]) : null;
  if (relation?.[0] !== 'RangeVar' || relation[1].alias !== undefined) return null;
  const name = str(relation[1].relname);
  if (name === null) return null;
  const predicates = index.forTable(str(relation[1].schemaname), name);
  if (predicates.length === 0 || !enforcesAll(select.whereClause, predicates, name, params)) return null;
  return relation[1];
}

/** Marks the policied references of the re-parsed statement that are filtered by construction. */
function collectFiltered(value: unknown, index: PredicateIndex, params: readonly string[], filtered: Set<Obj>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectFiltered(item, index, params, filtered);
    return;
  }
  if (!isObj(value)) return;
  const node = unwrap(value);
  if (node !== null) {
    const [type, body] = node;
    if (type === 'RangeSubselect') {
      const subquery = unwrap(body.subquery);
      if (subquery?.[0] === 'SelectStmt') {
        const relation = isWrapper(subquery[1], index, params);
        if (relation !== null) filtered.add(relation);
      }
    } else if ((type === 'UpdateStmt' || type === 'DeleteStmt') && isObj(body.relation)) {
      const relation = body.relation;
      const name = str(relation.relname);
      const predicates = name === null ? [] : index.forTable(str(relation.schemaname), name);
      const qualifier = isObj(relation.alias) ? str(relation.alias.aliasname) : name;
      if (predicates.length > 0 && qualifier !== null && enforcesAll(body.whereClause, predicates, qualifier, params)) {
        filtered.add(relation);
      }
    } else if (type === 'InsertStmt' && isObj(body.relation)) {
      const conflict = isObj(body.onConflictClause) ? body.onConflictClause : null;
      if (conflict === null || conflict.action !== 'ONCONFLICT_UPDATE') filtered.add(body.relation);
    }
  }
  for (const child of Object.values(node === null ? value : node[1])) collectFiltered(child, index, params, filtered);
}

/** Every policied reference of a (parsed) statement must be filtered by construction; throws otherwise. */
function audit(stmt: unknown, index: PredicateIndex, params: readonly string[]): void {
  const finder = findReferences(stmt, index);
  if (finder.references.length === 0) return;
  const cte = finder.cteNames.find((name) => index.hasName(name));
  if (cte !== undefined) throw backstop(cte, `the CTE ${cte} shadows a row-secured table`);
  const filtered = new Set<Obj>();
  collectFiltered(stmt, index, params, filtered);
  for (const reference of finder.references) {
    if (!filtered.has(reference.rangeVar)) {
      throw backstop(reference.display, `a reference${reference.context === null ? '' : ` in ${reference.context}`} is not filtered`);
    }
  }
}

/** The printed text must parse back to exactly the rewritten tree, and pass the audit. */
function verifyOutput(rewritten: unknown, text: string, index: PredicateIndex, params: readonly string[]): void {
  let reparsed: unknown[];
  try {
    reparsed = parseStatements(text);
  } catch {
    throw backstop(null, 'the printed SQL does not parse');
  }
  const [stmt] = reparsed;
  if (reparsed.length !== 1 || stmt === undefined) throw backstop(null, 'the printed SQL is not one statement');
  if (canonical(stmt) !== canonical(rewritten)) {
    throw backstop(null, 'the SQL printer did not reproduce the statement faithfully; it cannot be run with row security');
  }
  audit(stmt, index, params);
}

/**
 * The backstop on its own: throws `RowSecurityUnrewritable` unless every reference to a policied table in `sql`
 * is filtered the way `rewritePostgres` filters it, with these parameter values.
 */
export async function verifyPostgres(
  sql: string,
  params: readonly string[],
  predicates: RowPredicate[],
  defaultSchema: string,
): Promise<void> {
  await loadPgParser();
  const index = new PredicateIndex(predicates, defaultSchema, CASE_INSENSITIVE_NAMES);
  for (const stmt of parseStatements(sql)) audit(stmt, index, params);
}

// ------------------------------------------------------------------------------------------------
// Entry point.
// ------------------------------------------------------------------------------------------------

function rewriteOne(sql: string, index: PredicateIndex, applied: AppliedPolicies): BoundStatement {
  const stmts = parseStatements(sql);
  const finders = stmts.map((stmt) => findReferences(stmt, index));
  const cte = finders.flatMap((finder) => finder.cteNames).find((name) => index.hasName(name));
  if (finders.every((finder) => finder.references.length === 0)) {
    if (cte === undefined) return { sql, params: [] };
  }
  const [stmt] = stmts;
  const [finder] = finders;
  if (stmts.length !== 1 || stmt === undefined || finder === undefined) {
    throw new RowSecurityUnrewritable(
      `row security needs one statement at a time (found ${stmts.length}) when a row-secured table is referenced`,
    );
  }
  if (cte !== undefined) {
    throw new RowSecurityUnrewritable(
      `the CTE ${cte} has the name of a row-secured table; rename it so the reference is unambiguous`,
      cte,
    );
  }
  if (finder.hasParams) {
    const [first] = finder.references;
    throw new RowSecurityUnrewritable(
      'a statement on a row-secured table may not contain $n parameter placeholders',
      first?.display ?? null,
    );
  }

  const rewrite: Rewrite = { handled: new Set(), params: new Params(), applied: new Set(), changed: false };
  const rewritten = rewriteStatement(stmt, index, rewrite);
  const after = findReferences(rewritten, index);
  for (const reference of after.references) {
    if (rewrite.handled.has(reference.rangeVar)) continue;
    throw unrewritable(reference.display, reference.context ?? 'this kind of statement');
  }
  if (!rewrite.changed) return { sql, params: [] };

  let text: string;
  try {
    text = deparseSync(rewritten as Parameters<typeof deparseSync>[0], { pretty: false });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw backstop(null, `the SQL printer failed: ${message}`);
  }
  verifyOutput(rewritten, text, index, rewrite.params.values);
  applied.addAll(rewrite.applied);
  return { sql: text, params: rewrite.params.values };
}

export async function rewritePostgres(
  statements: string[],
  predicates: RowPredicate[],
  defaultSchema: string,
): Promise<RewriteResult> {
  await loadPgParser();
  const index = new PredicateIndex(predicates, defaultSchema, CASE_INSENSITIVE_NAMES);
  const applied = new AppliedPolicies();
  const result = statements.map((sql) => rewriteOne(sql, index, applied));
  return { statements: result, appliedPolicyIds: applied.toArray() };
}
