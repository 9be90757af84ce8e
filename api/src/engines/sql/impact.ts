/**
 * Impact preview of a write without running it: each INSERT/UPDATE/DELETE becomes a read that counts the rows it
 * would touch — `SELECT count(*) FROM target WHERE <its WHERE>` (with `EXISTS` over UPDATE … FROM / DELETE …
 * USING), or the number of VALUES rows, or a count over the INSERT's SELECT. The count is built on the parse tree
 * and printed by the dialect's printer; the printed text is then classified like any submission and must come
 * out read-only, so a mistake here can make a count wrong but never make it write.
 */
import sqlParser from 'node-sql-parser';
import { parseSync } from 'libpg-query';
import { loadPgParser } from './pg-parser.ts';
import { deparseSync } from 'pgsql-deparser';
import { SqlRejected, type Classification } from './classification.ts';
import { classifyMysql, type Dialect } from './mysql.ts';
import { classifyPostgres } from './postgres.ts';
import { isObj, list, unwrap, type Obj } from './pg-ast.ts';

export type ImpactQuery =
  /** Run this read; its single value is the number of rows. */
  | { kind: 'COUNT'; sql: string; upperBound: boolean }
  /** Known without asking the database (INSERT … VALUES). */
  | { kind: 'KNOWN'; rows: number; upperBound: boolean };

const notAvailable = (why: string) => new SqlRejected('UNSUPPORTED_STATEMENT', `no impact preview for this statement: ${why}`);

const countStar = () => ({ ResTarget: { val: { FuncCall: { funcname: [{ String: { sval: 'count' } }], agg_star: true, funcformat: 'COERCE_EXPLICIT_CALL' } } } });
const select = (fields: Obj) => ({ SelectStmt: { limitOption: 'LIMIT_OPTION_DEFAULT', op: 'SETOP_NONE', ...fields } });
const exists = (fromClause: unknown[], whereClause: unknown) => ({
  SubLink: { subLinkType: 'EXISTS_SUBLINK', subselect: select({ targetList: [{ ResTarget: { val: { A_Const: { ival: { ival: 1 } } } } }], fromClause, ...(whereClause ? { whereClause } : {}) }) },
});

/** The count query for one PostgreSQL write statement. */
async function postgresImpact(text: string): Promise<ImpactQuery> {
  await loadPgParser();
  const [entry] = list((parseSync(text) as Obj).stmts);
  const node = unwrap(isObj(entry) ? entry.stmt : undefined);
  if (!node) throw notAvailable('it does not parse as one statement');
  const [kind, stmt] = node;
  const withClause = stmt.withClause ? { withClause: stmt.withClause } : {};
  if (kind === 'UpdateStmt' || kind === 'DeleteStmt') {
    const joined = list(kind === 'UpdateStmt' ? stmt.fromClause : stmt.usingClause);
    const whereClause = joined.length > 0 ? exists(joined, stmt.whereClause) : stmt.whereClause;
    const query = select({ targetList: [countStar()], fromClause: [{ RangeVar: stmt.relation }], ...(whereClause ? { whereClause } : {}), ...withClause });
    return { kind: 'COUNT', sql: deparseSync(query as Parameters<typeof deparseSync>[0], { pretty: false }), upperBound: false };
  }
  if (kind === 'InsertStmt') {
    // ON CONFLICT may skip or update instead of inserting: the count is then what it may insert at most.
    const upperBound = stmt.onConflictClause !== undefined;
    const source = unwrap(stmt.selectStmt);
    if (!source) throw notAvailable('INSERT … DEFAULT VALUES inserts one row');
    const values = list(source[1].valuesLists);
    if (source[0] === 'SelectStmt' && values.length > 0 && !stmt.withClause) return { kind: 'KNOWN', rows: values.length, upperBound };
    const query = select({
      targetList: [countStar()],
      fromClause: [{ RangeSubselect: { subquery: stmt.selectStmt, alias: { aliasname: 'impact' } } }],
      ...withClause,
    });
    return { kind: 'COUNT', sql: deparseSync(query as Parameters<typeof deparseSync>[0], { pretty: false }), upperBound };
  }
  throw notAvailable(`${kind.replace(/Stmt$/, '').toUpperCase()} is not an INSERT, UPDATE or DELETE`);
}

const mysqlParser = new sqlParser.Parser();

/** The count query for one MySQL/MariaDB write statement (single-table UPDATE/DELETE, INSERT). */
function mysqlImpact(text: string, dialect: Dialect): ImpactQuery {
  const options = { database: dialect === 'mariadb' ? 'MariaDB' : 'MySQL' };
  let parsed: unknown;
  try {
    parsed = mysqlParser.astify(text, options);
  } catch {
    throw notAvailable('the preview parser does not read this statement');
  }
  const ast = (Array.isArray(parsed) ? parsed[0] : parsed) as Obj | undefined;
  if (!ast || ast.with) throw notAvailable('WITH clauses are not previewed on this engine');
  const count = { expr: { type: 'aggr_func', name: 'COUNT', args: { expr: { type: 'star', value: '*' } }, over: null }, as: null };
  const sqlOf = (query: Obj) => mysqlParser.sqlify(query as unknown as Parameters<typeof mysqlParser.sqlify>[0], options);
  const selectOf = (from: unknown, where: unknown) =>
    ({ with: null, type: 'select', options: null, distinct: null, columns: [count], into: { position: null }, from, where, groupby: null, having: null, orderby: null, limit: null });
  if (ast.type === 'update' || ast.type === 'delete') {
    const from = list(ast.type === 'update' ? ast.table : ast.from);
    if (from.length !== 1 || ast.orderby || ast.limit || (ast.type === 'delete' && list(ast.table).length > 1)) {
      throw notAvailable('only single-table UPDATE and DELETE without ORDER BY or LIMIT are previewed on this engine');
    }
    return { kind: 'COUNT', sql: sqlOf(selectOf(from, ast.where ?? null)), upperBound: false };
  }
  if (ast.type === 'insert' || ast.type === 'replace') {
    const upperBound = ast.on_duplicate_update != null || ast.type === 'replace' || /^\s*insert\s+ignore\b/i.test(text);
    const values = isObj(ast.values) ? ast.values : null;
    if (values?.type === 'values') return { kind: 'KNOWN', rows: list(values.values).length, upperBound };
    if (values?.type === 'select') {
      return { kind: 'COUNT', sql: `SELECT COUNT(*) FROM (${sqlOf(values)}) AS impact`, upperBound };
    }
  }
  throw notAvailable(`${String(ast.type).toUpperCase()} is not an INSERT, UPDATE or DELETE this engine can preview`);
}

/**
 * The read that measures one write statement's impact, proven read-only by the classifier and touching only the
 * tables the write itself touches.
 */
export async function impactQuery(dbType: 'POSTGRESQL' | 'MYSQL' | 'MARIADB', text: string, written: Classification): Promise<ImpactQuery> {
  const query = dbType === 'POSTGRESQL' ? await postgresImpact(text) : mysqlImpact(text, dbType === 'MARIADB' ? 'mariadb' : 'mysql');
  if (query.kind === 'KNOWN') return query;
  const counted = dbType === 'POSTGRESQL' ? await classifyPostgres(query.sql) : classifyMysql(query.sql, dbType === 'MARIADB' ? 'mariadb' : 'mysql');
  const allowed = new Set(written.tables.map((t) => `${t.schema ?? ''}.${t.name}`));
  if (!counted.readOnly || counted.tables.some((t) => !allowed.has(`${t.schema ?? ''}.${t.name}`))) {
    throw notAvailable('the counting query could not be proven read-only over the same tables');
  }
  return query;
}
