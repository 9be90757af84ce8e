/**
 * The schema explorer against a real PostgreSQL target: introspection through the API, what each caller may see
 * (grants, restricted and masked columns, classification tags), search, the FK graph, the cache and its refresh,
 * and the governed sample preview (row security and masking applied, audited) — plus the bad inputs.
 */
import { randomBytes } from 'node:crypto';
import { inject, afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../../test/servers.ts';
import { createOrg, createTestApp, createUserWithKey, ok, rowCounts, setupFirstOrg, superuserQuery, type Caller, type Org, type TestApp } from '../../../test/harness.ts';
import { workflow } from '../requests/requests.fixture.ts';

const SCHEMA_FIELDS = `datasourceId introspectedAt truncated
  schemas { name tables { qualifiedName kind estimatedRows comment primaryKey classifications
    columns { name type nullable default primaryKey foreignKey restricted masking classifications }
    foreignKeys { name columns referencedSchema referencedTable referencedColumns onDelete }
    indexes { name columns unique primary } } }
  graph { nodes { qualifiedName } edges { id name source target columns referencedColumns } }`;

interface ColumnView { name: string; type: string; nullable: boolean; default: string | null; primaryKey: boolean; foreignKey: boolean; restricted: boolean; masking: string | null; classifications: string[] }
interface TableView {
  qualifiedName: string;
  kind: string;
  estimatedRows: number | null;
  comment: string | null;
  primaryKey: string[];
  classifications: string[];
  columns: ColumnView[];
  foreignKeys: { name: string; referencedTable: string }[];
  indexes: { name: string; columns: string[]; unique: boolean; primary: boolean }[];
}
interface SchemaView {
  datasourceId: string;
  introspectedAt: string;
  truncated: boolean;
  schemas: { name: string; tables: TableView[] }[];
  graph: { nodes: { qualifiedName: string }[]; edges: { id: string; source: string; target: string; columns: string[]; referencedColumns: string[] }[] };
}

/** Shared by both replicas of the cache test. */
const KEYS = {
  JWT_SIGNING_KEY: randomBytes(32).toString('hex'),
  AUDIT_HMAC_KEY: randomBytes(32).toString('hex'),
  ENCRYPTION_KEY: randomBytes(32).toString('hex'),
};

let t: TestApp;
let org: Org;
let targetUrl: string;
let datasourceId: string;
let analyst: Caller & { id: string };
let ordersOnly: Caller & { id: string };
let ungranted: Caller & { id: string };
let auditor: Caller & { id: string };
let reviewer: Caller & { id: string };
let { mutate, decide, execute } = {} as ReturnType<typeof workflow>;

const tablesOf = (view: SchemaView) => view.schemas.flatMap((s) => s.tables);
const table = (view: SchemaView, name: string) => tablesOf(view).find((x) => x.qualifiedName === name)!;

async function schemaOf(caller: Caller, search?: string, app = t) {
  return app.gql<{ datasourceSchema: SchemaView | null }>(
    `query($id: ID!, $search: String) { datasourceSchema(datasourceId: $id, search: $search) { ${SCHEMA_FIELDS} } }`,
    { id: datasourceId, search },
    caller,
  );
}

const refresh = (caller: Caller, id = datasourceId) =>
  mutate<SchemaView>('refreshDatasourceSchema', `mutation($id: ID!) { refreshDatasourceSchema(datasourceId: $id) { __typename
    ... on MutationRefreshDatasourceSchemaSuccess { data { ${SCHEMA_FIELDS} } } ... on Error { code message } } }`, { id }, caller);

interface Preview { id: string; status: string; query: string; riskLevel: string; error: string | null; result: { columns: { name: string }[]; rows: unknown[][] } | null }
const preview = (caller: Caller, input: Record<string, unknown>) =>
  mutate<Preview>('previewTable', `mutation($input: PreviewTableInput!) { previewTable(input: $input) { __typename
    ... on MutationPreviewTableSuccess { data { id status query riskLevel error result { columns { name } rows } } } ... on Error { code message } } }`,
  { input: { datasourceId, ...input } }, caller);

beforeAll(async () => {
  t = await createTestApp({ env: KEYS });
  ({ mutate, decide, execute } = workflow(t, () => datasourceId));
  org = await setupFirstOrg(t);
  targetUrl = await createPostgresDatabase(inject('postgresUrl'));
  await superuserQuery(targetUrl, `
    create table customers (id int primary key, email text not null, region text default 'eu', ssn text);
    comment on table customers is 'who buys';
    insert into customers select i, 'person' || i || '@example.com', case when i % 2 = 0 then 'eu' else 'us' end, '123-45-' || lpad(i::text, 4, '0') from generate_series(1, 30) i;
    create table orders (id int primary key, customer_id int not null references customers(id), total numeric(10,2));
    create index orders_customer_idx on orders (customer_id);
    create schema hr;
    create table hr.employees (id int primary key, name text);
    create table hr.salaries (employee_id int references hr.employees(id), amount int);
    create table hr."Odd ""Name""" (id int primary key);
    insert into hr."Odd ""Name""" values (7);
    create view hr.payroll as select e.name, s.amount from hr.employees e join hr.salaries s on s.employee_id = e.id;
    analyze;`);
  const url = new URL(targetUrl);
  const created = await mutate<{ id: string }>(
    'upsertDatasource',
    `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename ... on MutationUpsertDatasourceSuccess { data { id } } ... on Error { code message } } }`,
    { input: { name: 'crm', dbType: 'POSTGRESQL', host: url.hostname, port: Number(url.port), databaseName: url.pathname.slice(1), username: 'postgres', password: 'unused-with-trust' } },
    org.admin,
  );
  datasourceId = created.data!.id;
  analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'analyst@acme.test');
  ordersOnly = await createUserWithKey(t, org.admin, 'READONLY', 'orders@acme.test');
  ungranted = await createUserWithKey(t, org.admin, 'ANALYST', 'nogrant@acme.test');
  auditor = await createUserWithKey(t, org.admin, 'AUDITOR', 'auditor@acme.test');
  reviewer = await createUserWithKey(t, org.admin, 'REVIEWER', 'reviewer@acme.test');
  const admin = async (field: string, input: Record<string, unknown>) => {
    const result = await mutate(field, `mutation($input: ${field[0]!.toUpperCase()}${field.slice(1)}Input!) { ${field}(input: $input) { __typename ... on Error { message } } }`, { input: { datasourceId, ...input } }, org.admin);
    expect(result.__typename, `${field}: ${result.message}`).toMatch(/Success$/);
  };
  // A bare allowed name (unqualified references) and a qualified one; ssn restricted; rows limited to the EU.
  await admin('upsertGrant', { userId: analyst.id, canRead: true, allowedTables: ['customers', 'public.orders'], restrictedColumns: ['customers.ssn'] });
  await admin('upsertGrant', { userId: ordersOnly.id, canRead: true, allowedTables: ['public.orders'] });
  await admin('upsertMaskingPolicy', { columnRef: 'customers.email', strategy: 'EMAIL' });
  await admin('upsertClassificationTag', { tableName: 'customers', columnName: 'email', classification: 'PII' });
  await admin('upsertClassificationTag', { tableName: 'public.customers', classification: 'GDPR' });
  await admin('upsertRowSecurityPolicy', { tableName: 'customers', columnName: 'region', operator: 'EQUALS', valueType: 'LITERAL', valueExpression: 'eu', appliesToUserIds: [analyst.id] });
});
afterAll(() => t.close());

describe('datasourceSchema', () => {
  it('shows a datasource manager every schema, table and view with columns, keys, indexes and the FK graph', async () => {
    const view = ok(await schemaOf(org.admin)).datasourceSchema!;
    expect(view.truncated).toBe(false);
    expect(view.schemas.map((s) => [s.name, s.tables.map((x) => x.qualifiedName)])).toEqual([
      ['hr', ['hr.Odd "Name"', 'hr.employees', 'hr.payroll', 'hr.salaries']],
      ['public', ['public.customers', 'public.orders']],
    ]);
    const customers = table(view, 'public.customers');
    expect(customers).toMatchObject({ kind: 'TABLE', estimatedRows: 30, comment: 'who buys', primaryKey: ['id'], classifications: ['GDPR'] });
    expect(customers.columns).toEqual([
      { name: 'id', type: 'integer', nullable: false, default: null, primaryKey: true, foreignKey: false, restricted: false, masking: null, classifications: [] },
      { name: 'email', type: 'text', nullable: false, default: null, primaryKey: false, foreignKey: false, restricted: false, masking: 'EMAIL', classifications: ['PII'] },
      { name: 'region', type: 'text', nullable: true, default: "'eu'::text", primaryKey: false, foreignKey: false, restricted: false, masking: null, classifications: [] },
      { name: 'ssn', type: 'text', nullable: true, default: null, primaryKey: false, foreignKey: false, restricted: false, masking: null, classifications: [] },
    ]);
    expect(table(view, 'hr.payroll')).toMatchObject({ kind: 'VIEW', estimatedRows: null });
    expect(table(view, 'public.orders').indexes).toEqual([
      { name: 'orders_customer_idx', columns: ['customer_id'], unique: false, primary: false },
      { name: 'orders_pkey', columns: ['id'], unique: true, primary: true },
    ]);
    expect(table(view, 'public.orders').columns.find((c) => c.name === 'customer_id')).toMatchObject({ foreignKey: true });
    expect(view.graph.nodes.map((n) => n.qualifiedName)).toHaveLength(6);
    expect(view.graph.edges).toEqual([
      { id: 'hr.salaries:salaries_employee_id_fkey', name: 'salaries_employee_id_fkey', source: 'hr.salaries', target: 'hr.employees', columns: ['employee_id'], referencedColumns: ['id'] },
      { id: 'public.orders:orders_customer_id_fkey', name: 'orders_customer_id_fkey', source: 'public.orders', target: 'public.customers', columns: ['customer_id'], referencedColumns: ['id'] },
    ]);
  });

  it('shows a grant holder only the tables their grants cover, with their restricted and masked columns marked', async () => {
    const view = ok(await schemaOf(analyst)).datasourceSchema!;
    expect(view.schemas.map((s) => [s.name, s.tables.map((x) => x.qualifiedName)])).toEqual([['public', ['public.customers', 'public.orders']]]);
    const columns = table(view, 'public.customers').columns;
    expect(columns.find((c) => c.name === 'ssn')).toMatchObject({ restricted: true, masking: 'FULL' });
    expect(columns.find((c) => c.name === 'email')).toMatchObject({ restricted: false, masking: 'EMAIL', classifications: ['PII'] });
    expect(view.graph.edges.map((e) => e.id)).toEqual(['public.orders:orders_customer_id_fkey']);
  });

  it('leaves out foreign keys and edges to tables the caller cannot see', async () => {
    const view = ok(await schemaOf(ordersOnly)).datasourceSchema!;
    expect(tablesOf(view).map((x) => x.qualifiedName)).toEqual(['public.orders']);
    expect(table(view, 'public.orders').foreignKeys).toEqual([]);
    expect(table(view, 'public.orders').columns.find((c) => c.name === 'customer_id')).toMatchObject({ foreignKey: false });
    expect(view.graph.edges).toEqual([]);
  });

  it('searches schema, table and column names case-insensitively', async () => {
    const byColumn = ok(await schemaOf(org.admin, 'MAIL')).datasourceSchema!;
    expect(tablesOf(byColumn).map((x) => [x.qualifiedName, x.columns.map((c) => c.name)])).toEqual([['public.customers', ['email']]]);
    const byTable = ok(await schemaOf(org.admin, 'sal')).datasourceSchema!;
    expect(tablesOf(byTable).map((x) => [x.qualifiedName, x.columns.length])).toEqual([['hr.salaries', 2]]);
    const bySchema = ok(await schemaOf(org.admin, 'hr')).datasourceSchema!;
    expect(bySchema.schemas.map((s) => s.name)).toEqual(['hr']);
    expect(bySchema.graph.edges.map((e) => e.target)).toEqual(['hr.employees']);
    // What a grant hides stays hidden from a search.
    expect(tablesOf(ok(await schemaOf(analyst, 'sal')).datasourceSchema!)).toEqual([]);
    const tooLong = await schemaOf(org.admin, 'x'.repeat(201));
    expect(tooLong.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
  });

  it('answers null to callers without a grant and to another organization; refuses auditors', async () => {
    expect(ok(await schemaOf(ungranted)).datasourceSchema).toBeNull();
    const globex = await createOrg(t, org.admin, 'Globex', 'admin@globex.test');
    expect(ok(await schemaOf(globex.admin)).datasourceSchema).toBeNull();
    expect((await schemaOf(auditor)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('serves the cached introspection until refreshDatasourceSchema, which is audited', async () => {
    const first = ok(await schemaOf(org.admin)).datasourceSchema!;
    await superuserQuery(targetUrl, 'create table invoices (id int primary key, order_id int references orders(id))');
    const cached = ok(await schemaOf(org.admin)).datasourceSchema!;
    expect(cached.introspectedAt).toBe(first.introspectedAt);
    expect(tablesOf(cached).map((x) => x.qualifiedName)).not.toContain('public.invoices');

    const refreshed = await refresh(analyst);
    expect(refreshed.__typename).toBe('MutationRefreshDatasourceSchemaSuccess');
    // The analyst's grants do not cover the new table; a manager sees it in the refreshed cache.
    expect(tablesOf(refreshed.data!).map((x) => x.qualifiedName)).toEqual(['public.customers', 'public.orders']);
    const after = ok(await schemaOf(org.admin)).datasourceSchema!;
    expect(after.introspectedAt > first.introspectedAt).toBe(true);
    expect(tablesOf(after).map((x) => x.qualifiedName)).toContain('public.invoices');
    expect(after.graph.edges.map((e) => e.source)).toContain('public.invoices');
    const events = await superuserQuery<{ actor_id: string; target_id: string }>(t.databaseUrl!, `select actor_id, target_id from audit_events where action = 'DATASOURCE_SCHEMA_REFRESHED'`);
    expect(events).toEqual([{ actor_id: analyst.id, target_id: datasourceId }]);
  });

  it('makes a refresh on one replica visible on every replica at its next read', async () => {
    const second = await createTestApp({ env: { ...KEYS, DATABASE_URL: t.databaseUrl! } });
    try {
      const before = ok(await schemaOf(org.admin, undefined, second)).datasourceSchema!;
      expect(tablesOf(before).map((x) => x.qualifiedName)).not.toContain('public.shipments');
      await superuserQuery(targetUrl, 'create table shipments (id int primary key)');
      // Still cached on the second replica.
      expect(ok(await schemaOf(org.admin, undefined, second)).datasourceSchema!.introspectedAt).toBe(before.introspectedAt);
      const refreshed = (await refresh(org.admin)).data!;
      expect(tablesOf(refreshed).map((x) => x.qualifiedName)).toContain('public.shipments');
      const after = ok(await schemaOf(org.admin, undefined, second)).datasourceSchema!;
      expect(tablesOf(after).map((x) => x.qualifiedName)).toContain('public.shipments');
      // Each replica reads the catalog once for that refresh, then serves its cache again.
      expect(ok(await schemaOf(org.admin, undefined, second)).datasourceSchema!.introspectedAt).toBe(after.introspectedAt);
      expect(ok(await schemaOf(org.admin)).datasourceSchema!.introspectedAt).toBe(refreshed.introspectedAt);
    } finally {
      await second.close();
    }
  });

  it('reports an unreachable database as ConnectionFailed and writes nothing', async () => {
    const down = await mutate<{ id: string }>('upsertDatasource',
      `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename ... on MutationUpsertDatasourceSuccess { data { id } } ... on Error { code message } } }`,
      { input: { name: 'down', dbType: 'POSTGRESQL', host: '127.0.0.1', port: 1, databaseName: 'x', username: 'x', verifyConnection: false } }, org.admin);
    const before = await rowCounts(t.databaseUrl!);
    const refreshed = await refresh(org.admin, down.data!.id);
    expect(refreshed).toMatchObject({ __typename: 'ConnectionFailed' });
    expect(refreshed.message).toMatch(/ECONNREFUSED|connect/i);
    const read = await t.gql(`query($id: ID!) { datasourceSchema(datasourceId: $id) { truncated } }`, { id: down.data!.id }, org.admin);
    expect(read.errors?.[0]?.extensions?.code).toBe('CONNECTION_FAILED');
    expect(await rowCounts(t.databaseUrl!)).toEqual(before);
  });

  it('refuses to refresh for callers without a grant or of another organization, writing nothing', async () => {
    const globex = await createOrg(t, org.admin, 'Initech', 'admin@initech.test');
    const before = await rowCounts(t.databaseUrl!);
    expect(await refresh(ungranted)).toMatchObject({ __typename: 'NotFound' });
    expect(await refresh(globex.admin)).toMatchObject({ __typename: 'NotFound' });
    expect(await refresh(org.admin, '00000000-0000-4000-8000-000000000000')).toMatchObject({ __typename: 'NotFound' });
    expect(await rowCounts(t.databaseUrl!)).toEqual(before);
  });
});

describe('previewTable', () => {
  it('submits a governed SELECT: review, row security, masking and restricted columns apply, and it is audited', async () => {
    const result = await preview(analyst, { table: 'customers', limit: 3 });
    expect(result.__typename).toBe('MutationPreviewTableSuccess');
    // A read of a classified table scores above the plan's auto-approval: it waits for a reviewer like any query.
    expect(result.data).toMatchObject({ status: 'PENDING_REVIEW', query: 'SELECT * FROM "customers" LIMIT 3', riskLevel: 'HIGH', result: null });
    expect((await decide(result.data!.id, 'APPROVE', reviewer)).data!.status).toBe('APPROVED');
    const request = (await execute(result.data!.id, analyst)).data! as unknown as Preview;
    expect(request).toMatchObject({ status: 'EXECUTED', error: null });
    expect(request.result!.columns.map((c) => c.name)).toEqual(['id', 'email', 'region', 'ssn']);
    expect(request.result!.rows).toHaveLength(3);
    for (const [id, email, region, ssn] of request.result!.rows as [number, string, string, string][]) {
      expect(region).toBe('eu');
      expect(id % 2).toBe(0);
      expect(email).toMatch(/^p\*\*\*@example\.com$/);
      expect(ssn).toBe('***');
    }
    const events = await superuserQuery<{ action: string }>(t.databaseUrl!, `select action from audit_events where target_id = $1 order by seq`, [request.id]);
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['QUERY_SUBMITTED', 'QUERY_EXECUTION_STARTED', 'QUERY_EXECUTED']));
  });

  it('names a table the way the grant allows it, and gives managers the qualified name', async () => {
    const orders = await preview(analyst, { table: 'public.orders' });
    expect(orders.data).toMatchObject({ status: 'EXECUTED', query: 'SELECT * FROM "public"."orders" LIMIT 20' });
    const managed = await preview(org.admin, { table: 'hr.employees', limit: 1 });
    expect(managed.data).toMatchObject({ status: 'EXECUTED', query: 'SELECT * FROM "hr"."employees" LIMIT 1' });
    // Identifiers are quoted from the catalog's names: case, spaces and quotes survive.
    const odd = await preview(org.admin, { table: 'hr.Odd "Name"' });
    expect(odd.data).toMatchObject({ status: 'EXECUTED', query: 'SELECT * FROM "hr"."Odd ""Name""" LIMIT 20', result: { rows: [[7]] } });
  });

  it('refuses bad input with a typed error and writes nothing', async () => {
    const globex = await createOrg(t, org.admin, 'Umbrella', 'admin@umbrella.test');
    const before = await rowCounts(t.databaseUrl!);
    expect(await preview(analyst, { table: 'customers', limit: 0 })).toMatchObject({ __typename: 'ValidationError' });
    expect(await preview(analyst, { table: 'customers', limit: 101 })).toMatchObject({ __typename: 'ValidationError' });
    expect(await preview(analyst, { table: 'no_such_table' })).toMatchObject({ __typename: 'NotFound' });
    // Exists, but the analyst's grants do not cover it: as unknown to them as a missing table.
    expect(await preview(analyst, { table: 'hr.salaries' })).toMatchObject({ __typename: 'NotFound' });
    expect(await preview(ungranted, { table: 'customers' })).toMatchObject({ __typename: 'NotFound' });
    expect(await preview(globex.admin, { table: 'customers' })).toMatchObject({ __typename: 'NotFound' });
    expect(await preview(analyst, { table: 'customers"; drop table customers; --' })).toMatchObject({ __typename: 'NotFound' });
    expect(await rowCounts(t.databaseUrl!)).toEqual(before);
  });
});
