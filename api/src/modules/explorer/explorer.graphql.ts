/** GraphQL for the schema explorer: the caller's view of a datasource's schema, refresh, and the sample preview. */
import { z } from 'zod';
import { ConnectionFailedError } from '../../errors.ts';
import { builder, requires } from '../../graphql/builder.ts';
import { actorOf } from '../../graphql/helpers.ts';
import { RELATION_KINDS, type IntrospectedForeignKey, type IntrospectedIndex } from '../../engines/introspection.ts';
import { QueryRejectedError } from '../requests/classify.ts';
import { QueryRequestRef } from '../requests/query-request.graphql.ts';
import { PREVIEW_DEFAULT_ROWS, PREVIEW_MAX_ROWS, type DatasourceSchemaView } from './explorer.service.ts';
import type { ColumnView, GraphEdge, TableView } from './schema-view.ts';

export function defineExplorerSchema(): void {
  const KindEnum = builder.enumType('RelationKind', { values: RELATION_KINDS });

  const ColumnRef = builder.objectRef<ColumnView>('DbColumn').implement({
    description: 'A column as the caller sees it.',
    fields: (t) => ({
      name: t.exposeString('name'),
      type: t.exposeString('type', { description: 'The declared type as the database prints it.' }),
      nullable: t.exposeBoolean('nullable'),
      default: t.exposeString('default', { nullable: true, description: 'The default expression, as the database prints it.' }),
      primaryKey: t.exposeBoolean('primaryKey'),
      foreignKey: t.exposeBoolean('foreignKey', { description: 'Part of a foreign key to a table you may see.' }),
      restricted: t.exposeBoolean('restricted', { description: 'Your grants restrict this column: your queries show it as ***.' }),
      masking: t.exposeString('masking', { nullable: true, description: 'The masking strategy your queries get for this column (FULL when restricted); null when shown as stored.' }),
      classifications: t.exposeStringList('classifications', { description: 'Data classification tags on this column.' }),
    }),
  });

  const ForeignKeyRef = builder.objectRef<IntrospectedForeignKey>('DbForeignKey').implement({
    fields: (t) => ({
      name: t.exposeString('name'),
      columns: t.exposeStringList('columns'),
      referencedSchema: t.exposeString('referencedSchema'),
      referencedTable: t.exposeString('referencedTable'),
      referencedColumns: t.exposeStringList('referencedColumns'),
      onUpdate: t.exposeString('onUpdate'),
      onDelete: t.exposeString('onDelete'),
    }),
  });

  const IndexRef = builder.objectRef<IntrospectedIndex>('DbIndex').implement({
    fields: (t) => ({
      name: t.exposeString('name'),
      columns: t.exposeStringList('columns', { description: 'In index order; an expression as the database prints it.' }),
      unique: t.exposeBoolean('unique'),
      primary: t.exposeBoolean('primary'),
    }),
  });

  const TableRef = builder.objectRef<TableView>('DbTable').implement({
    description: 'A table or view you may query.',
    fields: (t) => ({
      schema: t.exposeString('schema'),
      name: t.exposeString('name'),
      qualifiedName: t.exposeString('qualifiedName', { description: 'schema.name: the id of its node in the graph.' }),
      kind: t.expose('kind', { type: KindEnum }),
      estimatedRows: t.exposeFloat('estimatedRows', { nullable: true, description: "The planner's estimate; null for views and tables never analysed." }),
      comment: t.exposeString('comment', { nullable: true }),
      columns: t.field({ type: [ColumnRef], description: 'With a search that matched only columns: those columns.', resolve: (table) => table.columns }),
      primaryKey: t.exposeStringList('primaryKey'),
      foreignKeys: t.field({ type: [ForeignKeyRef], description: 'To tables you may see.', resolve: (table) => table.foreignKeys }),
      indexes: t.field({ type: [IndexRef], resolve: (table) => table.indexes }),
      classifications: t.exposeStringList('classifications', { description: 'Data classification tags on the whole table.' }),
    }),
  });

  const NamespaceRef = builder.objectRef<DatasourceSchemaView['schemas'][number]>('DbSchema').implement({
    fields: (t) => ({
      name: t.exposeString('name'),
      tables: t.field({ type: [TableRef], resolve: (schema) => schema.tables }),
    }),
  });

  const EdgeRef = builder.objectRef<GraphEdge>('SchemaGraphEdge').implement({
    description: 'A foreign key from source to target (node ids are qualified table names).',
    fields: (t) => ({
      id: t.exposeString('id'),
      name: t.exposeString('name'),
      source: t.exposeString('source'),
      target: t.exposeString('target'),
      columns: t.exposeStringList('columns'),
      referencedColumns: t.exposeStringList('referencedColumns'),
    }),
  });

  const GraphRef = builder.objectRef<DatasourceSchemaView['graph']>('SchemaGraph').implement({
    description: 'ER diagram data: the tables shown, and the foreign keys between them.',
    fields: (t) => ({
      nodes: t.field({ type: [TableRef], resolve: (graph) => graph.nodes }),
      edges: t.field({ type: [EdgeRef], resolve: (graph) => graph.edges }),
    }),
  });

  const SchemaRef = builder.objectRef<DatasourceSchemaView>('DatasourceSchema').implement({
    description: 'A datasource’s schema as you may see it: only tables your grants let you query.',
    fields: (t) => ({
      datasourceId: t.exposeID('datasourceId'),
      introspectedAt: t.expose('introspectedAt', { type: 'DateTime', description: 'When the database was last read (the cache is refreshed every 10 minutes).' }),
      truncated: t.exposeBoolean('truncated', { description: 'The database has more than 10000 tables and views; the first ones by name are listed.' }),
      schemas: t.field({ type: [NamespaceRef], resolve: (view) => view.schemas }),
      graph: t.field({ type: GraphRef, resolve: (view) => view.graph }),
    }),
  });

  const PreviewTableInput = builder.inputType('PreviewTableInput', {
    fields: (t) => ({
      datasourceId: t.id({ required: true, validate: z.uuid() }),
      table: t.string({ required: true, description: 'schema.table, or a table of the default schema.', validate: z.string().min(1).max(500) }),
      limit: t.int({ description: `Rows, 1 to ${PREVIEW_MAX_ROWS} (default ${PREVIEW_DEFAULT_ROWS}).` }),
    }),
  });

  builder.queryFields((t) => ({
    datasourceSchema: t.field({
      type: SchemaRef,
      nullable: true,
      description: 'Schemas, tables, columns and the FK graph of a datasource you hold a grant on (datasource managers: all).',
      ...requires('QUERY_SUBMIT_SELECT'),
      args: {
        datasourceId: t.arg.id({ required: true, validate: z.uuid() }),
        search: t.arg.string({ description: 'Case-insensitive part of a schema, table or column name.' }),
      },
      resolve: (_root, args, ctx) => ctx.services.explorer.schema(actorOf(ctx), String(args.datasourceId), args.search ?? null),
    }),
  }));

  builder.mutationFields((t) => ({
    refreshDatasourceSchema: t.field({
      type: SchemaRef,
      description: 'Reads the database catalog again now.',
      ...requires('QUERY_SUBMIT_SELECT'),
      errors: { types: [ConnectionFailedError] },
      args: { datasourceId: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.explorer.refresh(actorOf(ctx), ctx.origin, String(args.datasourceId)),
    }),
    previewTable: t.field({
      type: QueryRequestRef,
      description: 'A few rows of a table, as a governed request (grants, row security, masking, review and audit apply).',
      ...requires('QUERY_SUBMIT_SELECT'),
      errors: { types: [QueryRejectedError, ConnectionFailedError] },
      args: { input: t.arg({ type: PreviewTableInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.explorer.preview(actorOf(ctx), ctx.origin, { ...input, datasourceId: String(input.datasourceId) }),
    }),
  }));
}
