/**
 * MySQL / MariaDB row-security rewriter: node-sql-parser `astify` → rewrite → `sqlify`, fenced in because
 * node-sql-parser is not the server's parser:
 *
 * - The text is read with the server's lexical rules first (`mysql-lexer.ts`): executable comments and text that
 *   reads differently under NO_BACKSLASH_ESCAPES are refused; comments are dropped; every string literal is
 *   replaced by a unique marker literal and put back verbatim after printing, so the server reads exactly the
 *   user's literals; a `?` placeholder in the user's text is refused (the parameters are ours).
 * - Our parameters are marker literals too, turned into `?` after printing in the order they appear, so the
 *   parameter list always matches the placeholders.
 * - The printed SQL must be a fixpoint of parse+print, keep the user's numeric literals and invent no
 *   identifier, and — parsed again — every reference to a policied table must sit in a filter made here (backstop).
 * - node-sql-parser's own table list must agree with the references found in the tree; a statement it cannot
 *   parse is refused when it mentions a policied table's name at all.
 */
import { randomBytes } from 'node:crypto';
import sqlParser from 'node-sql-parser';
import type { BoundStatement } from '../../engines/engine.ts';
import { divergence, lexMysql, type Region } from '../../engines/sql/mysql-lexer.ts';
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

const { Parser } = sqlParser;
const parser = new Parser();

type Obj = Record<string, unknown>;
type Grammar = 'MySQL' | 'MariaDB';
type SqlifyInput = Parameters<typeof parser.sqlify>[0];

const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Name value of node-sql-parser's identifiers: a string, `{ value }` or `{ expr: { value } }`. */
function identValue(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (!isObj(value)) return null;
  if (typeof value.value === 'string') return value.value;
  return isObj(value.expr) ? str(value.expr.value) : null;
}

/** A `{ db, table }` table reference (not a column reference). */
function isTableRef(obj: Obj): boolean {
  return identValue(obj.table) !== null && 'db' in obj && obj.type !== 'column_ref' && !('column' in obj);
}

const quote = (name: string): string => `\`${name.replaceAll('`', '``')}\``;

const WORD = /[A-Za-z0-9_$\u0080-\uffff]+/g;
const NUMBER = /(?<![A-Za-z0-9_$\u0080-\uffff.])(?:0[xX][0-9A-Fa-f]+|0[bB][01]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)(?![A-Za-z0-9_$\u0080-\uffff])/g;

/** Words of the code and unquoted identifiers: every name the statement could mention. */
function namesOf(sql: string, regions: Region[]): string[] {
  const names: string[] = [];
  for (const region of regions) {
    const raw = sql.slice(region.start, region.end);
    if (region.kind === 'code') names.push(...(raw.match(WORD) ?? []));
    else if (region.kind === 'ident') names.push(raw.slice(1, -1).replaceAll('``', '`'));
  }
  return names;
}

/** Numeric literals of the code, as written. */
function numbersOf(sql: string, regions: Region[]): string[] {
  return regions
    .filter((region) => region.kind === 'code')
    .flatMap((region) => sql.slice(region.start, region.end).match(NUMBER) ?? [])
    .sort();
}

interface Prepared {
  /** What the parser gets: comments blanked, `--` spaced, strings replaced by markers. */
  text: string;
  /** Original literal text by string-marker number. */
  strings: string[];
  names: Set<string>;
  numbers: string[];
}

/** A marker literal: `'afrs<nonce><kind><n>'`; the nonce is random per statement, so user text cannot forge one. */
class Markers {
  readonly nonce = randomBytes(9).toString('hex');
  readonly params: string[] = [];

  string(n: number): string {
    return `'afrs${this.nonce}s${n}'`;
  }

  param(value: string): string {
    this.params.push(value);
    return `'afrs${this.nonce}p${this.params.length - 1}'`;
  }

  /** The parameter a marker value stands for, or null. */
  paramValue(value: unknown): string | null {
    const text = str(value);
    const prefix = `afrs${this.nonce}p`;
    if (text === null || !text.startsWith(prefix) || !/^\d+$/.test(text.slice(prefix.length))) return null;
    return this.params[Number(text.slice(prefix.length))] ?? null;
  }

  pattern(): RegExp {
    return new RegExp(`'afrs${this.nonce}([ps])(\\d+)'`, 'g');
  }
}

/** The server's reading of the text (backslash escapes on), or a refusal when it cannot be read safely. */
function lexOrReject(sql: string): Region[] {
  if (sql.includes('\u0000')) throw new RowSecurityUnrewritable('row security could not read the statement: it contains a NUL character');
  const lexed = lexMysql(sql, true);
  if (lexed.executable !== null) {
    throw new RowSecurityUnrewritable('row security cannot rewrite a statement with executable comments (/*! … */)');
  }
  if (lexed.error !== null) throw new RowSecurityUnrewritable(`row security could not read the statement: ${lexed.error}`);
  return lexed.regions;
}

/** Names the text mentions read with backslash escapes and — should it read differently — without them. */
function mentions(sql: string, regions: Region[]): string[] {
  const names = namesOf(sql, regions);
  if (sql.includes('\\')) names.push(...namesOf(sql, lexMysql(sql, false).regions));
  return names;
}

/** Text that reads differently under NO_BACKSLASH_ESCAPES is not rewritten. */
function rejectAmbiguity(sql: string, regions: Region[], table: string): void {
  if (!sql.includes('\\')) return;
  const alternative = lexMysql(sql, false);
  if (alternative.error !== null || alternative.executable !== null || divergence(regions, alternative.regions) !== null) {
    throw new RowSecurityUnrewritable(
      'row security cannot rewrite a statement whose text reads differently under NO_BACKSLASH_ESCAPES ' +
        '(a backslash before a quote); double the quote instead',
      table,
    );
  }
}

/**
 * @param placeholders null: a `?` is refused (the user's text); else the values of the `?` in order (checking
 *   finished SQL), each turned into a parameter marker.
 */
function prepare(sql: string, regions: Region[], markers: Markers, table: string, placeholders: readonly string[] | null): Prepared {
  const parts: string[] = [];
  const strings: string[] = [];
  let ended = false;
  for (const region of regions) {
    const raw = sql.slice(region.start, region.end);
    if (region.kind === 'comment') {
      parts.push(' ');
      continue;
    }
    if (ended && /\S/.test(raw)) {
      throw new RowSecurityUnrewritable('row security needs one statement at a time when a row-secured table is referenced', table);
    }
    if (region.kind === 'string') {
      parts.push(markers.string(strings.length));
      strings.push(raw);
    } else if (region.kind === 'ident') {
      parts.push(raw);
    } else {
      for (let i = 0; i < raw.length; i += 1) {
        const c = raw[i] ?? '';
        if (ended && /\S/.test(c)) {
          throw new RowSecurityUnrewritable('row security needs one statement at a time when a row-secured table is referenced', table);
        }
        if (c === ';') ended = true;
        else if (c === '?') {
          const value = placeholders?.[markers.params.length];
          if (value === undefined) {
            throw new RowSecurityUnrewritable('a statement on a row-secured table may not contain ? parameter placeholders', table);
          }
          parts.push(markers.param(value));
        } else if (c === '-' && raw[i + 1] === '-') parts.push('- ');
        else parts.push(c);
      }
    }
  }
  if (placeholders !== null && markers.params.length !== placeholders.length) {
    throw backstop(table, `the statement has ${markers.params.length} placeholders for ${placeholders.length} parameters`);
  }
  return { text: parts.join('').trim(), strings, names: new Set(namesOf(sql, regions)), numbers: numbersOf(sql, regions) };
}

function astify(text: string, grammar: Grammar): Obj {
  const result: unknown = parser.astify(text, { database: grammar });
  const asts = Array.isArray(result) ? result : [result];
  const [ast] = asts;
  if (asts.length !== 1 || !isObj(ast)) throw new Error(`expected one statement, found ${asts.length}`);
  return ast;
}

function sqlify(ast: Obj, grammar: Grammar): string {
  // sqlify may modify its input.
  return parser.sqlify(structuredClone(ast) as unknown as SqlifyInput, { database: grammar });
}

// ------------------------------------------------------------------------------------------------
// References to policied tables, with where they are.
// ------------------------------------------------------------------------------------------------

interface Reference {
  node: Obj;
  schema: string | null;
  name: string;
  display: string;
  context: string | null;
}

const CLAUSES: Record<string, string> = {
  columns: 'the select list',
  where: 'WHERE',
  having: 'HAVING',
  groupby: 'GROUP BY',
  orderby: 'ORDER BY',
  limit: 'LIMIT',
  on: 'a JOIN … ON condition',
  set: 'SET',
  values: 'VALUES',
  returning: 'RETURNING',
  window: 'WINDOW',
};

class ReferenceFinder {
  readonly references: Reference[] = [];
  readonly cteNames: string[] = [];
  readonly #index: PredicateIndex;

  constructor(index: PredicateIndex) {
    this.#index = index;
  }

  statement(ast: Obj): void {
    const type = str(ast.type) ?? '';
    let context: string | null = null;
    if (type === 'replace') context = 'REPLACE (it deletes existing rows the policy may hide)';
    else if (type !== 'select' && type !== 'insert' && type !== 'update' && type !== 'delete') {
      context = `a ${type.replaceAll('_', ' ').toUpperCase() || 'non-DML'} statement`;
    }
    this.visit(ast, context, null);
  }

  visit(value: unknown, context: string | null, clause: string | null): void {
    if (Array.isArray(value)) {
      for (const item of value) this.visit(item, context, clause);
      return;
    }
    if (!isObj(value)) return;
    if (Array.isArray(value.with)) {
      for (const cte of value.with) {
        if (!isObj(cte)) continue;
        const name = identValue(cte.name);
        if (name !== null) this.cteNames.push(name);
        const { name: _name, ...rest } = cte;
        this.visit(rest, context ?? 'a WITH (common table expression) query', clause);
      }
    }
    if (isTableRef(value)) this.reference(value, context);
    const type = str(value.type);
    let here = context;
    if (type === 'select' && isObj(value._next)) here = context ?? 'a UNION/INTERSECT/EXCEPT arm';
    else if ('ast' in value) here = context ?? `a subquery in ${clause ?? 'an expression'}`;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'with' || (isTableRef(value) && (key === 'table' || key === 'db'))) continue;
      if (key === 'from' && Array.isArray(child)) {
        this.from(child, type === 'delete' && !singleTableDelete(value) ? (here ?? 'a multi-table DELETE') : here);
      } else if (key === 'table' && Array.isArray(child) && type === 'update') {
        this.from(child, singleTable(child) ? here : (here ?? 'a multi-table UPDATE'));
      } else if (key === 'table' && Array.isArray(child) && type === 'delete') {
        continue; // DELETE targets name FROM items (or repeat the single table): the FROM list has the references.
      } else if (key === 'table' && Array.isArray(child) && type === 'insert') {
        this.from(child, here);
      } else if (key === 'values' && type === 'insert' && isObj(child) && child.type !== 'values') {
        this.visit(child, here ?? 'INSERT … SELECT', 'INSERT … SELECT');
      } else if (key === 'on_duplicate_update' && child !== null && child !== undefined) {
        this.visit(child, here ?? 'INSERT … ON DUPLICATE KEY UPDATE', 'ON DUPLICATE KEY UPDATE');
      } else {
        this.visit(child, here, CLAUSES[key] ?? clause);
      }
    }
  }

  /** FROM items: tables, parenthesised join groups, derived tables. */
  private from(items: unknown[], context: string | null): void {
    for (const item of items) {
      if (!isObj(item)) continue;
      if (isTableRef(item)) {
        this.visit(item, context, null);
      } else if (Array.isArray(item.expr)) {
        const { expr, ...rest } = item;
        this.from(expr, context);
        this.visit(rest, context, null);
      } else if (isObj(item.expr) && 'ast' in item.expr) {
        const { expr, ...rest } = item;
        this.visit(expr, context ?? 'a derived table (subquery in FROM)', null);
        this.visit(rest, context, null);
      } else {
        this.visit(item, context ?? 'a table function or other FROM item', null);
      }
    }
  }

  private reference(node: Obj, context: string | null): void {
    const name = identValue(node.table);
    if (name === null) return;
    const schema = identValue(node.db);
    if (this.#index.forTable(schema, name).length === 0) return;
    this.references.push({ node, schema, name, display: this.#index.display(schema, name), context });
  }
}

/** `DELETE FROM t [AS a] …`: one target that is the only FROM item, not a join. */
function singleTableDelete(ast: Obj): boolean {
  const targets = list(ast.table);
  const target = targets[0];
  return targets.length === 1 && isObj(target) && target.addition === true && singleTable(list(ast.from));
}

/** One plain table reference, not joined to anything. */
function singleTable(items: unknown[]): boolean {
  const [item] = items;
  return items.length === 1 && isObj(item) && isTableRef(item) && (item.join === undefined || item.join === null);
}

function findReferences(ast: Obj, index: PredicateIndex): ReferenceFinder {
  const finder = new ReferenceFinder(index);
  finder.statement(ast);
  return finder;
}

// ------------------------------------------------------------------------------------------------
// Rewriting.
// ------------------------------------------------------------------------------------------------

interface Rewrite {
  readonly grammar: Grammar;
  readonly markers: Markers;
  readonly handled: Set<Obj>;
  readonly applied: Set<string>;
  /** Identifiers the rewrite itself introduces (for the identifier fidelity check). */
  readonly names: Set<string>;
  changed: boolean;
}

const TABLE_REF_KEYS = new Set(['db', 'table', 'as', 'join', 'on', 'using', 'loc']);

function predicateText(predicate: RowPredicate, qualifier: string, rewrite: Rewrite): string {
  const shape = predicateShape(predicate);
  rewrite.names.add(qualifier);
  rewrite.names.add(predicate.column);
  const column = `${quote(qualifier)}.${quote(predicate.column)}`;
  switch (shape.kind) {
    case 'constant':
      return shape.value ? 'TRUE' : 'FALSE';
    case 'compare':
      return `${column} ${shape.operator} ${rewrite.markers.param(shape.value)}`;
    case 'list':
      return `${column} ${shape.negated ? 'NOT IN' : 'IN'} (${shape.values.map((value) => rewrite.markers.param(value)).join(', ')})`;
  }
}

function filterText(predicates: RowPredicate[], qualifier: string, rewrite: Rewrite): string {
  for (const predicate of predicates) rewrite.applied.add(predicate.policyId);
  return predicates.map((predicate) => predicateText(predicate, qualifier, rewrite)).join(' AND ');
}

/** Parses SQL built here (quoted identifiers, marker literals only). */
function parseOwn(text: string, grammar: Grammar): Obj {
  try {
    return astify(text, grammar);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw backstop(null, `the filter could not be built (${message})`);
  }
}

/** @param group inside a parenthesised join group `( … )` */
function rewriteFromItems(items: unknown[], index: PredicateIndex, rewrite: Rewrite, group: boolean): unknown[] {
  return items.map((item, i) => rewriteFromItem(item, index, rewrite, group && i === 0));
}

function rewriteFromItem(item: unknown, index: PredicateIndex, rewrite: Rewrite, firstInGroup: boolean): unknown {
  if (!isObj(item)) return item;
  if (Array.isArray(item.expr)) return { ...item, expr: rewriteFromItems(item.expr, index, rewrite, true) };
  if (!isTableRef(item)) return item;
  const name = identValue(item.table) ?? '';
  const schema = identValue(item.db);
  const predicates = index.forTable(schema, name);
  if (predicates.length === 0) return item;
  if (firstInGroup) {
    // `((SELECT …) AS t JOIN …)` is valid MySQL, but node-sql-parser cannot read it back for the backstop.
    throw unrewritable(
      index.display(schema, name),
      'the first place of a parenthesised join group (write the join without the parentheses, or put another table first)',
    );
  }
  const extra = Object.keys(item).filter((key) => !TABLE_REF_KEYS.has(key) && item[key] !== null && item[key] !== undefined);
  if (extra.length > 0) {
    throw unrewritable(index.display(schema, name), `a FROM item with ${extra.join(', ')} (index hints, partitions …)`);
  }
  const alias = identValue(item.as) ?? name;
  rewrite.names.add(alias);
  rewrite.names.add(name);
  if (schema !== null) rewrite.names.add(schema);
  const relation = schema === null ? quote(name) : `${quote(schema)}.${quote(name)}`;
  const wrapper = parseOwn(
    `SELECT * FROM (SELECT * FROM ${relation} WHERE ${filterText(predicates, name, rewrite)}) AS ${quote(alias)}`,
    rewrite.grammar,
  );
  const [derived] = list(wrapper.from);
  const inner = isObj(derived) && isObj(derived.expr) && isObj(derived.expr.ast) ? list(derived.expr.ast.from)[0] : null;
  if (!isObj(derived) || !isObj(inner)) throw backstop(index.display(schema, name), 'the filter could not be built');
  rewrite.handled.add(inner);
  rewrite.changed = true;
  const { db: _db, table: _table, as: _as, loc: _loc, ...joining } = item;
  return { ...derived, ...joining };
}

/** ANDs the predicates of a single-table UPDATE/DELETE target into the WHERE. */
function filterTarget(ast: Obj, target: Obj, index: PredicateIndex, rewrite: Rewrite): Obj {
  const name = identValue(target.table) ?? '';
  const schema = identValue(target.db);
  const predicates = index.forTable(schema, name);
  if (predicates.length === 0) return ast;
  const qualifier = identValue(target.as) ?? name;
  const filter = parseOwn(`SELECT 1 FROM x WHERE ${filterText(predicates, qualifier, rewrite)}`, rewrite.grammar).where;
  if (!isObj(filter)) throw backstop(index.display(schema, name), 'the filter could not be built');
  rewrite.handled.add(target);
  rewrite.changed = true;
  const existing = isObj(ast.where) ? ast.where : null;
  const where = existing
    ? { type: 'binary_expr', operator: 'AND', left: { ...existing, parentheses: true }, right: { ...filter, parentheses: true } }
    : filter;
  return { ...ast, where };
}

function rewriteStatement(ast: Obj, index: PredicateIndex, rewrite: Rewrite): Obj {
  const type = str(ast.type);
  switch (type) {
    case 'select':
      if (isObj(ast._next) || !Array.isArray(ast.from)) return ast;
      return { ...ast, from: rewriteFromItems(ast.from, index, rewrite, false) };
    case 'update': {
      const items = list(ast.table);
      const [target] = items;
      if (!singleTable(items) || !isObj(target)) return ast;
      return filterTarget(ast, target, index, rewrite);
    }
    case 'delete': {
      const [target] = list(ast.from);
      if (!singleTableDelete(ast) || !isObj(target)) return ast;
      return filterTarget(ast, target, index, rewrite);
    }
    case 'insert': {
      for (const target of list(ast.table)) {
        if (!isObj(target) || !isTableRef(target)) continue;
        const name = identValue(target.table) ?? '';
        const schema = identValue(target.db);
        if (index.forTable(schema, name).length === 0) continue;
        if (ast.on_duplicate_update !== null && ast.on_duplicate_update !== undefined) {
          throw unrewritable(
            index.display(schema, name),
            'INSERT … ON DUPLICATE KEY UPDATE (it would change existing rows the policy may hide)',
          );
        }
        rewrite.handled.add(target);
      }
      return ast;
    }
    default:
      return ast;
  }
}

// ------------------------------------------------------------------------------------------------
// Backstop on the re-parsed output.
// ------------------------------------------------------------------------------------------------

function conjuncts(expression: unknown): unknown[] {
  if (isObj(expression) && expression.type === 'binary_expr' && str(expression.operator)?.toUpperCase() === 'AND') {
    return [...conjuncts(expression.left), ...conjuncts(expression.right)];
  }
  return [expression];
}

const same = (a: string | null, b: string): boolean => a !== null && a.toLowerCase() === b.toLowerCase();

function isColumn(value: unknown, qualifier: string, column: string): boolean {
  return isObj(value) && value.type === 'column_ref' && same(identValue(value.table), qualifier) && same(identValue(value.column), column);
}

function isParam(value: unknown, expected: string, markers: Markers): boolean {
  return isObj(value) && value.type === 'single_quote_string' && markers.paramValue(value.value) === expected;
}

function enforces(expression: unknown, predicate: RowPredicate, qualifier: string, markers: Markers): boolean {
  if (!isObj(expression)) return false;
  const shape = predicateShape(predicate);
  const operator = str(expression.operator)?.toUpperCase() ?? '';
  switch (shape.kind) {
    case 'constant':
      return expression.type === 'bool' && expression.value === shape.value;
    case 'compare': {
      const operators = shape.operator === '<>' ? ['<>', '!='] : [shape.operator];
      return (
        expression.type === 'binary_expr' &&
        operators.includes(operator) &&
        isColumn(expression.left, qualifier, predicate.column) &&
        isParam(expression.right, shape.value, markers)
      );
    }
    case 'list': {
      if (expression.type !== 'binary_expr' || operator !== (shape.negated ? 'NOT IN' : 'IN')) return false;
      if (!isColumn(expression.left, qualifier, predicate.column)) return false;
      const right = isObj(expression.right) && expression.right.type === 'expr_list' ? list(expression.right.value) : [];
      return right.length === shape.values.length && right.every((value, i) => isParam(value, shape.values[i] ?? '', markers));
    }
  }
}

function enforcesAll(where: unknown, predicates: RowPredicate[], qualifier: string, markers: Markers): boolean {
  const parts = conjuncts(where);
  return predicates.every((predicate) => parts.some((part) => enforces(part, predicate, qualifier, markers)));
}

const WRAPPER_KEYS = new Set(['type', 'columns', 'from', 'where', 'into', 'loc']);

/** The table reference of a `SELECT * FROM t WHERE <t's predicates>` wrapper, or null. */
function wrapperTable(select: unknown, index: PredicateIndex, markers: Markers): Obj | null {
  if (!isObj(select) || select.type !== 'select') return null;
  for (const [key, value] of Object.entries(select)) {
    if (WRAPPER_KEYS.has(key) || value === null || value === undefined) continue;
    return null;
  }
  if (isObj(select.into) && select.into.position !== null && select.into.position !== undefined) return null;
  const columns = list(select.columns);
  const [column] = columns;
  if (columns.length !== 1 || !isObj(column) || (column.as !== null && column.as !== undefined)) return null;
  if (!isObj(column.expr) || column.expr.type !== 'column_ref' || column.expr.table !== null || column.expr.column !== '*') return null;
  const from = list(select.from);
  const [relation] = from;
  if (!singleTable(from) || !isObj(relation) || (relation.as !== null && relation.as !== undefined)) return null;
  const name = identValue(relation.table) ?? '';
  const predicates = index.forTable(identValue(relation.db), name);
  if (predicates.length === 0 || !enforcesAll(select.where, predicates, name, markers)) return null;
  return relation;
}

function collectFiltered(value: unknown, index: PredicateIndex, markers: Markers, filtered: Set<Obj>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectFiltered(item, index, markers, filtered);
    return;
  }
  if (!isObj(value)) return;
  if (isObj(value.expr) && 'ast' in value.expr) {
    const relation = wrapperTable(value.expr.ast, index, markers);
    if (relation !== null) filtered.add(relation);
  }
  const type = str(value.type);
  const targets = type === 'update' ? list(value.table) : type === 'delete' && singleTableDelete(value) ? list(value.from) : [];
  const [target] = targets;
  if (singleTable(targets) && isObj(target)) {
    const name = identValue(target.table) ?? '';
    const predicates = index.forTable(identValue(target.db), name);
    const qualifier = identValue(target.as) ?? name;
    if (predicates.length > 0 && enforcesAll(value.where, predicates, qualifier, markers)) filtered.add(target);
  }
  if (type === 'insert' && (value.on_duplicate_update === null || value.on_duplicate_update === undefined)) {
    for (const target of list(value.table)) if (isObj(target)) filtered.add(target);
  }
  for (const child of Object.values(value)) collectFiltered(child, index, markers, filtered);
}

/** Every policied reference of a (parsed) statement must be filtered by construction; throws otherwise. */
function audit(ast: Obj, index: PredicateIndex, markers: Markers): void {
  const finder = findReferences(ast, index);
  if (finder.references.length === 0) return;
  const cte = finder.cteNames.find((name) => index.hasName(name));
  if (cte !== undefined) throw backstop(cte, `the CTE ${cte} shadows a row-secured table`);
  const filtered = new Set<Obj>();
  collectFiltered(ast, index, markers, filtered);
  for (const reference of finder.references) {
    if (!filtered.has(reference.node)) {
      throw backstop(reference.display, `a reference${reference.context === null ? '' : ` in ${reference.context}`} is not filtered`);
    }
  }
}

/** Prints, checks, and replaces the markers: the final text and its parameters. */
function print(ast: Obj, prepared: Prepared, index: PredicateIndex, rewrite: Rewrite): BoundStatement {
  const { grammar, markers } = rewrite;
  let printed: string;
  let reparsed: Obj;
  let again: string;
  try {
    printed = sqlify(ast, grammar);
    reparsed = astify(printed, grammar);
    again = sqlify(reparsed, grammar);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw backstop(null, `the SQL printer failed (${message})`);
  }
  if (again !== printed) {
    throw backstop(null, 'the SQL printer does not reproduce the statement faithfully; it cannot be run with row security');
  }

  audit(reparsed, index, markers);

  // Nothing of the user's may be lost or invented: numbers, identifiers, string literals.
  const lexed = lexMysql(printed, true);
  if (lexed.error !== null || lexed.executable !== null) throw backstop(null, 'the printed SQL does not lex cleanly');
  if (numbersOf(printed, lexed.regions).join(' ') !== prepared.numbers.join(' ')) {
    throw backstop(null, 'the SQL printer would change a numeric literal (e.g. 1e5 or 007); write it differently');
  }
  const params: string[] = [];
  const seen = new Set<string>();
  const sql = printed.replace(markers.pattern(), (_match: string, kind: string, digits: string) => {
    seen.add(`${kind}${digits}`);
    const n = Number(digits);
    if (kind === 's') return prepared.strings[n] ?? '';
    params.push(markers.params[n] ?? '');
    return '?';
  });
  const expected = prepared.strings.length + markers.params.length;
  const used = (printed.match(markers.pattern()) ?? []).length;
  if (seen.size !== expected || used !== expected) {
    throw backstop(null, 'the SQL printer would drop, repeat or re-quote a string literal (e.g. a quoted alias); write it differently');
  }
  for (const region of lexed.regions) {
    if (region.kind !== 'ident') continue;
    const name = printed.slice(region.start + 1, region.end - 1).replaceAll('``', '`');
    if (!prepared.names.has(name) && !rewrite.names.has(name)) {
      throw backstop(null, `the SQL printer would change the identifier ${quote(name)}`);
    }
  }
  const final = lexMysql(sql, true);
  const placeholders = final.regions
    .filter((region) => region.kind === 'code')
    .reduce((count, region) => count + (sql.slice(region.start, region.end).match(/\?/g) ?? []).length, 0);
  if (final.error !== null || final.executable !== null || placeholders !== params.length) {
    throw backstop(null, 'the final SQL does not match its parameters');
  }
  return { sql, params };
}

// ------------------------------------------------------------------------------------------------
// Entry point.
// ------------------------------------------------------------------------------------------------

function parseTableList(text: string, grammar: Grammar): { schema: string | null; name: string }[] {
  return parser.tableList(text, { database: grammar }).flatMap((entry) => {
    const [, db, table] = entry.split('::');
    if (table === undefined || table === 'null' || table === '') return [];
    return [{ schema: db === undefined || db === 'null' ? null : db, name: table }];
  });
}

/**
 * Parses with the dialect's grammar (MariaDB falls back to MySQL's, which knows more, e.g. UPDATE … LIMIT) and
 * checks the references found in the tree against node-sql-parser's own table list.
 */
function parseChecked(
  text: string,
  dbType: 'MYSQL' | 'MARIADB',
  index: PredicateIndex,
  mentioned: string,
): { ast: Obj; grammar: Grammar; finder: ReferenceFinder } {
  const grammars: Grammar[] = dbType === 'MARIADB' ? ['MariaDB', 'MySQL'] : ['MySQL'];
  let failure = '';
  for (const grammar of grammars) {
    let ast: Obj;
    try {
      ast = astify(text, grammar);
    } catch (error) {
      failure ||= error instanceof Error ? error.message : String(error);
      continue;
    }
    const finder = findReferences(ast, index);
    const listed = parseTableList(text, grammar).filter((table) => index.forTable(table.schema, table.name).length > 0);
    for (const table of listed) {
      const found = finder.references.some(
        (reference) => same(reference.name, table.name) && (table.schema === null || same(reference.schema, table.schema)),
      );
      if (!found) {
        const display = index.display(table.schema, table.name);
        throw new RowSecurityUnrewritable(`row security cannot locate every reference to the row-secured table ${display} in this statement`, display);
      }
    }
    return { ast, grammar, finder };
  }
  throw new RowSecurityUnrewritable(
    `row security cannot rewrite a statement that mentions the row-secured table ${mentioned} but that its SQL parser ` +
      `does not understand (${failure.slice(0, 200)})`,
    mentioned,
  );
}

function rewriteOne(sql: string, dbType: 'MYSQL' | 'MARIADB', index: PredicateIndex, applied: AppliedPolicies): BoundStatement {
  const regions = lexOrReject(sql);
  const mentioned = mentions(sql, regions).find((name) => index.hasName(name));
  if (mentioned === undefined) return { sql, params: [] };
  rejectAmbiguity(sql, regions, mentioned);

  const markers = new Markers();
  const prepared = prepare(sql, regions, markers, mentioned, null);
  if (prepared.text === '') return { sql, params: [] };
  const { ast, grammar, finder } = parseChecked(prepared.text, dbType, index, mentioned);
  if (finder.references.length === 0) return { sql, params: [] };
  const cte = finder.cteNames.find((name) => index.hasName(name));
  if (cte !== undefined) {
    throw new RowSecurityUnrewritable(`the CTE ${cte} has the name of a row-secured table; rename it so the reference is unambiguous`, cte);
  }

  const rewrite: Rewrite = { grammar, markers, handled: new Set(), applied: new Set(), names: new Set(), changed: false };
  const rewritten = rewriteStatement(ast, index, rewrite);
  for (const reference of findReferences(rewritten, index).references) {
    if (rewrite.handled.has(reference.node)) continue;
    throw unrewritable(reference.display, reference.context ?? 'this kind of statement');
  }
  if (!rewrite.changed) return { sql, params: [] };
  const bound = print(rewritten, prepared, index, rewrite);
  applied.addAll(rewrite.applied);
  return bound;
}

export function rewriteMysql(
  statements: string[],
  predicates: RowPredicate[],
  defaultSchema: string,
  dbType: 'MYSQL' | 'MARIADB',
): RewriteResult {
  const index = new PredicateIndex(predicates, defaultSchema, true);
  const applied = new AppliedPolicies();
  const result = statements.map((sql) => rewriteOne(sql, dbType, index, applied));
  return { statements: result, appliedPolicyIds: applied.toArray() };
}

/**
 * The backstop on its own: throws `RowSecurityUnrewritable` unless every reference to a policied table in `sql`
 * (with `?` placeholders bound to `params` in order) is filtered the way `rewriteMysql` filters it.
 */
export function verifyMysql(
  sql: string,
  params: readonly string[],
  predicates: RowPredicate[],
  defaultSchema: string,
  dbType: 'MYSQL' | 'MARIADB',
): void {
  const index = new PredicateIndex(predicates, defaultSchema, true);
  const regions = lexOrReject(sql);
  const mentioned = mentions(sql, regions).find((name) => index.hasName(name));
  if (mentioned === undefined) return;
  rejectAmbiguity(sql, regions, mentioned);
  const markers = new Markers();
  const prepared = prepare(sql, regions, markers, mentioned, params);
  if (prepared.text === '') return;
  const { ast } = parseChecked(prepared.text, dbType, index, mentioned);
  audit(ast, index, markers);
}
