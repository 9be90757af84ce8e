/**
 * What `Engine.introspect` reads from a database's catalog (FEATURES B4) and what `Engine.poolStats` reports
 * (B5). Plain data, identical for every engine, so the explorer and the health module never see a driver.
 */

export const RELATION_KINDS = ['TABLE', 'PARTITIONED_TABLE', 'VIEW', 'MATERIALIZED_VIEW', 'FOREIGN_TABLE'] as const;
export type RelationKind = (typeof RELATION_KINDS)[number];

/** At most this many tables and views are read; `truncated` says when a database has more. */
export const MAX_INTROSPECTED_TABLES = 10_000;

export interface IntrospectedColumn {
  name: string;
  /** The declared type as the server prints it: `character varying(200)`, `int(11)`, `numeric(10,2)`. */
  type: string;
  nullable: boolean;
  /** The default expression as the server prints it; null when there is none. */
  default: string | null;
  primaryKey: boolean;
}

export interface IntrospectedForeignKey {
  name: string;
  columns: string[];
  referencedSchema: string;
  referencedTable: string;
  referencedColumns: string[];
  /** NO ACTION, RESTRICT, CASCADE, SET NULL or SET DEFAULT. */
  onUpdate: string;
  onDelete: string;
}

export interface IntrospectedIndex {
  name: string;
  /** Column names in index order; an expression column as the server prints the expression. */
  columns: string[];
  unique: boolean;
  primary: boolean;
}

export interface IntrospectedTable {
  schema: string;
  name: string;
  kind: RelationKind;
  /** The planner's estimate (PostgreSQL reltuples, MySQL TABLE_ROWS); null for views and never-analysed tables. */
  estimatedRows: number | null;
  comment: string | null;
  columns: IntrospectedColumn[];
  primaryKey: string[];
  foreignKeys: IntrospectedForeignKey[];
  indexes: IntrospectedIndex[];
}

export interface SchemaSnapshot {
  /** Every non-system schema (PostgreSQL) or the datasource's database (MySQL/MariaDB), sorted. */
  schemas: string[];
  /** Sorted by schema, then name. */
  tables: IntrospectedTable[];
  /** More than MAX_INTROSPECTED_TABLES tables and views exist; the first ones by schema and name are listed. */
  truncated: boolean;
}

/** Connections of a datasource's pool right now (FEATURES B5). */
export interface PoolStats {
  /** Open connections, busy or idle. */
  total: number;
  idle: number;
  /** Requests waiting for a connection. */
  waiting: number;
}

/** PostgreSQL `pg_constraint.confupdtype`/`confdeltype` letters, and MySQL rules, as SQL words. */
export function referentialAction(code: string): string {
  switch (code) {
    case 'a':
      return 'NO ACTION';
    case 'r':
      return 'RESTRICT';
    case 'c':
      return 'CASCADE';
    case 'n':
      return 'SET NULL';
    case 'd':
      return 'SET DEFAULT';
    default:
      return code.toUpperCase();
  }
}
