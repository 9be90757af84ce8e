/**
 * One person's view of an introspected schema (FEATURES B4): only the tables their grants let them query, the
 * columns marked restricted or masked as their queries would show them, classification tags as badges, a
 * name search, and the FK graph between what remains. Pure functions: no database, no GraphQL.
 */
import type { IntrospectedColumn, IntrospectedForeignKey, IntrospectedIndex, IntrospectedTable, RelationKind, SchemaSnapshot } from '../../engines/introspection.ts';
import type { ClassificationTag } from '../classification/classification-tag.entity.ts';
import { tableAllowed, type EffectiveAccess } from '../grants/access.ts';
import { planMasking, type MaskRule } from '../masking/masker.ts';
import type { MaskingPolicy } from '../masking/masking-policy.entity.ts';

/** Who is looking: `access` null = sees every table (datasource managers); otherwise their effective grants. */
export interface Viewer {
  access: EffectiveAccess | null;
  /** Masking policies that mask for this viewer (not revealed to them). */
  policies: readonly MaskingPolicy[];
  tags: readonly ClassificationTag[];
  /** Where an unqualified name resolves: `public`, or the MySQL database. */
  defaultSchema: string;
}

export interface ColumnView extends IntrospectedColumn {
  /** The viewer's grants restrict it: their queries show `***`. */
  restricted: boolean;
  /** The masking strategy their queries get for it (FULL for a restricted column), or null when shown as stored. */
  masking: MaskRule['strategy'] | null;
  /** Part of a foreign key to a table the viewer may see. */
  foreignKey: boolean;
  classifications: string[];
}

export interface TableView {
  schema: string;
  name: string;
  qualifiedName: string;
  kind: RelationKind;
  estimatedRows: number | null;
  comment: string | null;
  columns: ColumnView[];
  primaryKey: string[];
  foreignKeys: IntrospectedForeignKey[];
  indexes: IntrospectedIndex[];
  classifications: string[];
  /** How the viewer names the table in a query their grants allow (`schema.table`, or bare in the default schema). */
  queryName: { schema: string | null; name: string };
}

export interface GraphEdge {
  id: string;
  name: string;
  source: string;
  target: string;
  columns: string[];
  referencedColumns: string[];
}

export interface SchemaView {
  schemas: { name: string; tables: TableView[] }[];
  graph: { nodes: TableView[]; edges: GraphEdge[] };
}

export const qualifiedNameOf = (table: { schema: string; name: string }) => `${table.schema}.${table.name}`;

/**
 * The name under which `viewer` may query `table`, or null when their grants do not cover it. Grants match
 * names as the requests service does (FEATURES C2): a qualified allowed table matches `schema.table`, a bare one
 * an unqualified reference, which resolves to the default schema.
 */
export function queryNameFor(viewer: Viewer, table: { schema: string; name: string }): { schema: string | null; name: string } | null {
  const { access } = viewer;
  if (access === null) return { schema: table.schema, name: table.name };
  if (access.grantIds.length === 0) return null;
  if (tableAllowed(access, table, viewer.defaultSchema)) return { schema: table.schema, name: table.name };
  const inDefault = table.schema === viewer.defaultSchema;
  if (inDefault && tableAllowed(access, { schema: null, name: table.name }, viewer.defaultSchema)) return { schema: null, name: table.name };
  return null;
}

/** The viewer's tables (search applied) grouped by schema, and the FK graph between them. */
export function viewOf(snapshot: SchemaSnapshot, viewer: Viewer, search: string | null): SchemaView {
  const visible = new Map<string, { table: IntrospectedTable; queryName: { schema: string | null; name: string } }>();
  for (const table of snapshot.tables) {
    const queryName = queryNameFor(viewer, table);
    if (queryName) visible.set(qualifiedNameOf(table), { table, queryName });
  }
  const rules: MaskRule[] = [
    ...[...(viewer.access?.restrictedColumns ?? [])].map((columnRef) => ({ policyId: null, columnRef, strategy: 'FULL' as const, params: {} })),
    ...viewer.policies.map((p) => ({ policyId: p.id, columnRef: p.columnRef, strategy: p.strategy, params: p.strategyParams })),
  ];
  const needle = search?.trim().toLowerCase() || null;

  const tables: TableView[] = [];
  for (const { table, queryName } of visible.values()) {
    // Foreign keys to tables the viewer cannot see would name those tables: left out.
    const foreignKeys = table.foreignKeys.filter((fk) => visible.has(qualifiedNameOf({ schema: fk.referencedSchema, name: fk.referencedTable })));
    const fkColumns = new Set(foreignKeys.flatMap((fk) => fk.columns));
    const plan = planMasking(table.columns.map((c) => ({ name: c.name, table: { schema: table.schema, name: table.name } })), rules);
    const tableTags = tagsOf(viewer.tags, table);
    let columns: ColumnView[] = table.columns.map((column, i) => ({
      ...column,
      restricted: plan[i]?.policyId === null,
      masking: plan[i]?.strategy ?? null,
      foreignKey: fkColumns.has(column.name),
      classifications: tableTags.filter((tag) => tag.columnName === column.name.toLowerCase()).map((tag) => tag.classification),
    }));
    if (needle && !table.schema.toLowerCase().includes(needle) && !table.name.toLowerCase().includes(needle)) {
      columns = columns.filter((column) => column.name.toLowerCase().includes(needle));
      if (columns.length === 0) continue;
    }
    tables.push({
      schema: table.schema,
      name: table.name,
      qualifiedName: qualifiedNameOf(table),
      kind: table.kind,
      estimatedRows: table.estimatedRows,
      comment: table.comment,
      columns,
      primaryKey: table.primaryKey,
      foreignKeys,
      indexes: table.indexes,
      classifications: tableTags.filter((tag) => tag.columnName === '').map((tag) => tag.classification),
      queryName,
    });
  }

  const unrestricted = viewer.access === null || (viewer.access.allowedSchemas === null && viewer.access.allowedTables === null);
  const schemaNames = needle || !unrestricted ? [...new Set(tables.map((t) => t.schema))] : snapshot.schemas;
  const shown = new Set(tables.map((t) => t.qualifiedName));
  const edges = tables.flatMap((table) =>
    table.foreignKeys
      .map((fk) => ({ fk, target: qualifiedNameOf({ schema: fk.referencedSchema, name: fk.referencedTable }) }))
      .filter(({ target }) => shown.has(target))
      .map(({ fk, target }) => ({
        id: `${table.qualifiedName}:${fk.name}`,
        name: fk.name,
        source: table.qualifiedName,
        target,
        columns: fk.columns,
        referencedColumns: fk.referencedColumns,
      })),
  );
  return {
    schemas: schemaNames.map((name) => ({ name, tables: tables.filter((t) => t.schema === name) })),
    graph: { nodes: tables, edges },
  };
}

/** Tags naming this table as `schema.table` or as a bare `table` (any schema), as the risk rules read them. */
function tagsOf(tags: readonly ClassificationTag[], table: { schema: string; name: string }): ClassificationTag[] {
  const qualified = qualifiedNameOf(table).toLowerCase();
  const bare = table.name.toLowerCase();
  return tags.filter((tag) => tag.tableName === qualified || tag.tableName === bare);
}
