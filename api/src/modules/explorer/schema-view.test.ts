/** What one viewer sees of a schema: grant matching, column marks, tags, search and the graph (no database). */
import { describe, expect, it } from 'vitest';
import type { IntrospectedTable, SchemaSnapshot } from '../../engines/introspection.ts';
import type { ClassificationTag } from '../classification/classification-tag.entity.ts';
import { combineGrants } from '../grants/access.ts';
import type { Grant } from '../grants/grant.entity.ts';
import type { MaskingPolicy } from '../masking/masking-policy.entity.ts';
import { queryNameFor, viewOf, type Viewer } from './schema-view.ts';

const column = (name: string, primaryKey = false) => ({ name, type: 'text', nullable: !primaryKey, default: null, primaryKey });
const tableOf = (schema: string, name: string, columns: string[], foreignKeys: IntrospectedTable['foreignKeys'] = []): IntrospectedTable => ({
  schema,
  name,
  kind: 'TABLE',
  estimatedRows: null,
  comment: null,
  columns: columns.map((c, i) => column(c, i === 0)),
  primaryKey: [columns[0]!],
  foreignKeys,
  indexes: [],
});
const fk = (name: string, columns: string[], schema: string, table: string) => ({
  name, columns, referencedSchema: schema, referencedTable: table, referencedColumns: ['id'], onUpdate: 'NO ACTION', onDelete: 'NO ACTION',
});

const snapshot: SchemaSnapshot = {
  schemas: ['empty', 'hr', 'public'],
  truncated: false,
  tables: [
    tableOf('hr', 'salaries', ['employee_id', 'amount'], [fk('salaries_users', ['employee_id'], 'public', 'users')]),
    tableOf('public', 'Users', ['id', 'Email']),
    tableOf('public', 'orders', ['id', 'user_id'], [fk('orders_users', ['user_id'], 'public', 'users')]),
    tableOf('public', 'users', ['id', 'email', 'ssn']),
  ],
};

function grant(fields: Partial<Grant>): Grant {
  return { id: `g${Math.random()}`, canRead: true, canWrite: false, canDdl: false, canBreakGlass: false, allowedSchemas: null, allowedTables: null, restrictedColumns: [], maxRows: null, expiresAt: null, ...fields } as Grant;
}
const viewer = (grants: Partial<Grant>[] | null, extra: Partial<Viewer> = {}): Viewer => ({
  access: grants === null ? null : combineGrants(grants.map(grant), 'POSTGRESQL'),
  policies: [],
  tags: [],
  defaultSchema: 'public',
  ...extra,
});
const names = (v: Viewer, search: string | null = null) => viewOf(snapshot, v, search).graph.nodes.map((t) => t.qualifiedName);

describe('which tables a viewer sees', () => {
  it('a manager sees everything, including empty schemas', () => {
    const view = viewOf(snapshot, viewer(null), null);
    expect(view.schemas.map((s) => s.name)).toEqual(['empty', 'hr', 'public']);
    expect(names(viewer(null))).toEqual(['hr.salaries', 'public.Users', 'public.orders', 'public.users']);
  });

  it('nobody without a live grant sees anything', () => {
    expect(names(viewer([]))).toEqual([]);
    expect(names(viewer([{ expiresAt: new Date(Date.now() - 1000) }]))).toEqual([]);
  });

  it('an unrestricted grant sees every table and schema', () => {
    expect(viewOf(snapshot, viewer([{}]), null).schemas.map((s) => s.name)).toEqual(['empty', 'hr', 'public']);
  });

  it('allowed schemas and tables match as PostgreSQL resolves names; a bare table only in the default schema', () => {
    // Unquoted names fold to lower case; a quoted one is exact, so "Users" (created quoted) is another table.
    expect(names(viewer([{ allowedSchemas: ['HR'] }]))).toEqual(['hr.salaries']);
    expect(names(viewer([{ allowedSchemas: ['"HR"'] }]))).toEqual([]);
    expect(names(viewer([{ allowedTables: ['users'] }]))).toEqual(['public.users']);
    expect(names(viewer([{ allowedTables: ['USERS'] }]))).toEqual(['public.users']);
    expect(names(viewer([{ allowedTables: ['"Users"'] }]))).toEqual(['public.Users']);
    expect(names(viewer([{ allowedTables: ['public."Users"', 'PUBLIC.users'] }]))).toEqual(['public.Users', 'public.users']);
    expect(names(viewer([{ allowedTables: ['salaries'] }]))).toEqual([]);
    expect(names(viewer([{ allowedTables: ['hr.salaries'] }]))).toEqual(['hr.salaries']);
  });

  it('several grants combine field by field as the most permissive union, exactly as for submitted queries', () => {
    expect(names(viewer([{ allowedTables: ['orders'] }, { allowedTables: ['hr.salaries'] }]))).toEqual(['hr.salaries', 'public.orders']);
    // One grant without a table list lifts the table restriction of the other.
    expect(names(viewer([{ allowedTables: ['orders'] }, { allowedSchemas: ['hr'] }]))).toEqual(['hr.salaries', 'public.Users', 'public.orders', 'public.users']);
  });

  it('names a table in a query the way the grant allows', () => {
    expect(queryNameFor(viewer([{ allowedTables: ['orders'] }]), { schema: 'public', name: 'orders' })).toEqual({ schema: null, name: 'orders' });
    expect(queryNameFor(viewer([{ allowedTables: ['public.orders'] }]), { schema: 'public', name: 'orders' })).toEqual({ schema: 'public', name: 'orders' });
    expect(queryNameFor(viewer(null), { schema: 'public', name: 'orders' })).toEqual({ schema: 'public', name: 'orders' });
    expect(queryNameFor(viewer([{ allowedTables: ['orders'] }]), { schema: 'hr', name: 'orders' })).toBeNull();
  });
});

describe('columns, tags, search and graph', () => {
  const policies = [
    { id: 'p1', columnRef: 'users.email', strategy: 'EMAIL', strategyParams: {} },
    { id: 'p2', columnRef: 'public.users.ssn', strategy: 'HASH', strategyParams: {} },
  ] as unknown as MaskingPolicy[];
  const tags = [
    { tableName: 'users', columnName: 'email', classification: 'PII' },
    { tableName: 'public.users', columnName: '', classification: 'GDPR' },
    { tableName: 'hr.users', columnName: '', classification: 'PHI' },
  ] as ClassificationTag[];

  it('marks restricted columns (which win over a masking policy), masked columns and tags', () => {
    const view = viewOf(snapshot, viewer([{ restrictedColumns: ['users.ssn'] }], { policies, tags }), null);
    const users = view.graph.nodes.find((t) => t.qualifiedName === 'public.users')!;
    expect(users.classifications).toEqual(['GDPR']);
    expect(users.columns.map((c) => [c.name, c.restricted, c.masking, c.classifications])).toEqual([
      ['id', false, null, []],
      ['email', false, 'EMAIL', ['PII']],
      ['ssn', true, 'FULL', []],
    ]);
    // Masking matches names case-insensitively, as it does on results.
    const upper = view.graph.nodes.find((t) => t.qualifiedName === 'public.Users')!;
    expect(upper.columns.find((c) => c.name === 'Email')!.masking).toBe('EMAIL');
  });

  it('keeps foreign keys and edges only between visible tables', () => {
    const view = viewOf(snapshot, viewer([{ allowedTables: ['hr.salaries', 'users', '"Users"'] }]), null);
    expect(view.graph.nodes.map((t) => t.qualifiedName)).toEqual(['hr.salaries', 'public.Users', 'public.users']);
    expect(view.graph.edges.map((e) => e.id)).toEqual(['hr.salaries:salaries_users']);
    const hidden = viewOf(snapshot, viewer([{ allowedSchemas: ['hr'] }]), null);
    expect(hidden.graph.nodes[0]!.foreignKeys).toEqual([]);
    expect(hidden.graph.nodes[0]!.columns.every((c) => !c.foreignKey)).toBe(true);
  });

  it('search: a schema or table match keeps all columns, a column match only the matching ones; edges follow', () => {
    const byColumn = viewOf(snapshot, viewer(null), 'MAIL');
    expect(byColumn.graph.nodes.map((t) => [t.qualifiedName, t.columns.map((c) => c.name)])).toEqual([['public.Users', ['Email']], ['public.users', ['email']]]);
    expect(byColumn.schemas.map((s) => s.name)).toEqual(['public']);
    const bySchema = viewOf(snapshot, viewer(null), 'hr');
    expect(bySchema.graph.nodes.map((t) => t.columns.length)).toEqual([2]);
    expect(bySchema.graph.edges).toEqual([]);
    expect(names(viewer(null), 'user')).toEqual(['public.Users', 'public.orders', 'public.users']);
  });
});
