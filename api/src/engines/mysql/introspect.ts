/**
 * MySQL / MariaDB catalog introspection (FEATURES B4): four information_schema queries (tables, columns, foreign
 * keys, index columns) for the datasource's database, in one READ ONLY transaction under the datasource's
 * statement timeout (MariaDB max_statement_time, MySQL max_execution_time, which covers these SELECTs), then
 * rolled back. The connection goes back to its pool only after COM_RESET_CONNECTION has undone the session
 * settings; a connection that failed anywhere is destroyed.
 *
 * The datasource's database only: on MySQL a "database" is what PostgreSQL calls a schema, and the datasource
 * names the one it governs (unqualified names resolve there); other databases on the same server are not the
 * datasource's.
 */
import type { Pool, PoolConnection } from 'mysql2';
import { statementTimeoutOf, type ConnectionSpec } from '../engine.ts';
import {
  MAX_INTROSPECTED_TABLES,
  referentialAction,
  type IntrospectedForeignKey,
  type IntrospectedIndex,
  type IntrospectedTable,
  type PoolStats,
  type RelationKind,
  type SchemaSnapshot,
} from '../introspection.ts';

// Explicit LIMITs everywhere: a session sql_select_limit must never cut the catalog short.
const TABLES = `SELECT TABLE_NAME, TABLE_TYPE, TABLE_ROWS, TABLE_COMMENT FROM information_schema.TABLES
  WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME LIMIT ${MAX_INTROSPECTED_TABLES + 1}`;
const COLUMNS = `SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, COLUMN_KEY, EXTRA FROM information_schema.COLUMNS
  WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION LIMIT 18446744073709551615`;
const FOREIGN_KEYS = `SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME,
    r.UPDATE_RULE, r.DELETE_RULE
  FROM information_schema.KEY_COLUMN_USAGE k
  JOIN information_schema.REFERENTIAL_CONSTRAINTS r
    ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
  WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL
  ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION LIMIT 18446744073709551615`;
const INDEXES = `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME FROM information_schema.STATISTICS
  WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX LIMIT 18446744073709551615`;

const KINDS: Record<string, RelationKind> = { 'BASE TABLE': 'TABLE', 'SYSTEM VERSIONED': 'TABLE', VIEW: 'VIEW', SEQUENCE: 'TABLE' };

type Row = unknown[];

/**
 * Reads the catalog of `spec.database` on `connection` (a pooled connection) and hands the connection back:
 * reset and released when everything went well, destroyed otherwise. Errors are the driver's; the engine maps them.
 */
export async function introspectMysql(connection: PoolConnection, spec: ConnectionSpec): Promise<SchemaSnapshot> {
  const db = connection.promise();
  const run = async (sql: string, values: string[] = []): Promise<Row[]> => {
    const [rows] = values.length > 0 ? await db.execute({ sql, rowsAsArray: true }, values) : await db.query({ sql, rowsAsArray: true });
    return Array.isArray(rows) ? (rows as Row[]) : [];
  };
  let healthy = false;
  try {
    const version = String((await run('SELECT VERSION()'))[0]?.[0] ?? '');
    const mariadb = /mariadb/i.test(version);
    const timeoutMs = statementTimeoutOf(spec);
    // Session settings (our validated numbers), undone by the reset below.
    const settings = ['SESSION TRANSACTION READ ONLY'];
    if (timeoutMs > 0) settings.push(mariadb ? `SESSION max_statement_time = ${timeoutMs / 1000}` : `SESSION max_execution_time = ${timeoutMs}`);
    for (const setting of settings) await run(`SET ${setting}`);
    await run('START TRANSACTION READ ONLY');
    const tables = await run(TABLES, [spec.database]);
    const columns = await run(COLUMNS, [spec.database]);
    const foreignKeys = await run(FOREIGN_KEYS, [spec.database]);
    const indexes = await run(INDEXES, [spec.database]);
    await run('ROLLBACK');
    await new Promise<void>((resolve, reject) => connection.reset((error) => (error ? reject(error) : resolve())));
    healthy = true;
    return snapshotOf(spec.database, tables, columns, foreignKeys, indexes, mariadb);
  } finally {
    if (healthy) connection.release();
    else connection.destroy();
  }
}

function snapshotOf(schema: string, tableRows: Row[], columnRows: Row[], fkRows: Row[], indexRows: Row[], mariadb: boolean): SchemaSnapshot {
  const kept = tableRows.slice(0, MAX_INTROSPECTED_TABLES);
  const tables = new Map<string, IntrospectedTable>();
  for (const [name, type, rows, comment] of kept) {
    const kind = KINDS[String(type)] ?? 'TABLE';
    tables.set(String(name), {
      schema,
      name: String(name),
      kind,
      estimatedRows: kind === 'VIEW' || rows === null || rows === undefined ? null : Number(rows),
      comment: typeof comment === 'string' && comment !== '' && comment !== 'VIEW' ? comment : null,
      columns: [],
      primaryKey: [],
      foreignKeys: [],
      indexes: [],
    });
  }
  for (const [table, name, type, nullable, defaultValue, key] of columnRows) {
    const target = tables.get(String(table));
    if (!target) continue;
    target.columns.push({
      name: String(name),
      type: String(type),
      nullable: nullable === 'YES',
      default: defaultOf(defaultValue, mariadb),
      primaryKey: key === 'PRI',
    });
  }
  const fks = new Map<string, IntrospectedForeignKey>();
  for (const [table, constraint, column, refSchema, refTable, refColumn, onUpdate, onDelete] of fkRows) {
    const target = tables.get(String(table));
    if (!target) continue;
    const key = `${String(table)}\u0000${String(constraint)}`;
    let fk = fks.get(key);
    if (!fk) {
      fk = {
        name: String(constraint),
        columns: [],
        referencedSchema: String(refSchema),
        referencedTable: String(refTable),
        referencedColumns: [],
        onUpdate: referentialAction(String(onUpdate)),
        onDelete: referentialAction(String(onDelete)),
      };
      fks.set(key, fk);
      target.foreignKeys.push(fk);
    }
    fk.columns.push(String(column));
    fk.referencedColumns.push(String(refColumn));
  }
  const indexes = new Map<string, IntrospectedIndex>();
  for (const [table, name, nonUnique, column] of indexRows) {
    const target = tables.get(String(table));
    if (!target) continue;
    const key = `${String(table)}\u0000${String(name)}`;
    let index = indexes.get(key);
    if (!index) {
      index = { name: String(name), columns: [], unique: Number(nonUnique) === 0, primary: name === 'PRIMARY' };
      indexes.set(key, index);
      target.indexes.push(index);
    }
    // A functional key part (MySQL 8) has no column name.
    index.columns.push(column === null ? '(expression)' : String(column));
  }
  for (const table of tables.values()) {
    table.primaryKey = table.indexes.find((index) => index.primary)?.columns ?? [];
  }
  // Code-point order, as PostgreSQL's catalog names sort (the server's collation may put `orders` before `order_lines`).
  const sorted = [...tables.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { schemas: [schema], tables: sorted, truncated: tableRows.length > MAX_INTROSPECTED_TABLES };
}

/**
 * COLUMN_DEFAULT: MariaDB (10.2.7+) prints defaults as SQL (strings quoted, `NULL` for none); MySQL gives the
 * bare value and SQL NULL for none.
 */
function defaultOf(value: unknown, mariadb: boolean): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value);
  return mariadb && text === 'NULL' ? null : text;
}

/**
 * mysql2's pool keeps its connections in private queues (`_allConnections`, `_freeConnections`, and waiting
 * callbacks in `_connectionQueue`) and exposes no counters; these are read defensively (a missing queue counts
 * as 0) and pinned by the health tests against the installed mysql2.
 */
export function mysqlPoolStats(pool: Pool): PoolStats {
  const size = (name: string): number => {
    const queue: unknown = Reflect.get(pool, name);
    const length: unknown = typeof queue === 'object' && queue !== null ? Reflect.get(queue, 'length') : undefined;
    return typeof length === 'number' ? length : 0;
  };
  return { total: size('_allConnections'), idle: size('_freeConnections'), waiting: size('_connectionQueue') };
}
