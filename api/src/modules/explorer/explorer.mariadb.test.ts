/** The schema explorer against a real MariaDB target: introspection through the API and the governed preview. */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { inject, afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUserWithKey, ok, setupFirstOrg, type Caller, type Org, type TestApp } from '../../../test/harness.ts';
import { workflow } from '../requests/requests.fixture.ts';

interface TableView {
  qualifiedName: string;
  kind: string;
  estimatedRows: number | null;
  primaryKey: string[];
  columns: { name: string; type: string; primaryKey: boolean; foreignKey: boolean; restricted: boolean; masking: string | null }[];
  indexes: { name: string; columns: string[]; unique: boolean }[];
}

let t: TestApp;
let org: Org;
let database: string;
let datasourceId: string;
let analyst: Caller & { id: string };
let admin: mysql.Connection;
let { mutate } = {} as ReturnType<typeof workflow>;

const schemaOf = async (caller: Caller) =>
  ok(await t.gql<{ datasourceSchema: { schemas: { name: string; tables: TableView[] }[]; graph: { edges: { source: string; target: string; columns: string[] }[] } } | null }>(
    `query($id: ID!) { datasourceSchema(datasourceId: $id) {
      schemas { name tables { qualifiedName kind estimatedRows primaryKey columns { name type primaryKey foreignKey restricted masking } indexes { name columns unique } } }
      graph { edges { source target columns } } } }`,
    { id: datasourceId },
    caller,
  )).datasourceSchema;

beforeAll(async () => {
  t = await createTestApp();
  ({ mutate } = workflow(t, () => datasourceId));
  org = await setupFirstOrg(t);
  const server = new URL(inject('mariadbUrl'));
  database = `crm_${randomBytes(4).toString('hex')}`;
  const user = decodeURIComponent(server.username);
  const password = decodeURIComponent(server.password);
  admin = await mysql.createConnection({ host: server.hostname, port: Number(server.port), user, password, multipleStatements: true });
  await admin.query(`create database ${database}; use ${database};
    create table customers (id int primary key, email varchar(200) not null, region varchar(20), key customers_region (region));
    create table orders (id int primary key, customer_id int not null, constraint orders_customer foreign key (customer_id) references customers(id));
    create table audit_trail (id int primary key, note text);
    insert into customers values (1, 'ann@example.com', 'eu'), (2, 'bob@example.com', 'us'), (3, 'cy@example.com', 'eu');
    analyze table customers;`);
  const created = await mutate<{ id: string }>(
    'upsertDatasource',
    `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename ... on MutationUpsertDatasourceSuccess { data { id } } ... on Error { code message } } }`,
    { input: { name: 'crm-mariadb', dbType: 'MARIADB', host: server.hostname, port: Number(server.port), databaseName: database, username: user, password } },
    org.admin,
  );
  datasourceId = created.data!.id;
  analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'analyst@acme.test');
  const call = async (field: string, input: Record<string, unknown>) => {
    const result = await mutate(field, `mutation($input: ${field[0]!.toUpperCase()}${field.slice(1)}Input!) { ${field}(input: $input) { __typename ... on Error { message } } }`, { input: { datasourceId, ...input } }, org.admin);
    expect(result.__typename, `${field}: ${result.message}`).toMatch(/Success$/);
  };
  await call('upsertGrant', { userId: analyst.id, canRead: true, allowedSchemas: [database], allowedTables: ['customers', 'orders'] });
  await call('upsertMaskingPolicy', { columnRef: 'customers.email', strategy: 'PARTIAL', strategyParams: { visible_suffix: '11' } });
  await call('upsertRowSecurityPolicy', { tableName: 'customers', columnName: 'region', operator: 'EQUALS', valueType: 'LITERAL', valueExpression: 'eu', appliesToUserIds: [analyst.id] });
});
afterAll(async () => {
  await admin.query(`drop database ${database}`);
  await admin.end();
  await t.close();
});

it("introspects the datasource's database and shows a grant holder their tables and the FK between them", async () => {
  const all = (await schemaOf(org.admin))!;
  expect(all.schemas.map((s) => [s.name, s.tables.map((x) => x.qualifiedName)])).toEqual([[database, [`${database}.audit_trail`, `${database}.customers`, `${database}.orders`]]]);
  const customers = all.schemas[0]!.tables[1]!;
  expect(customers).toMatchObject({ kind: 'TABLE', estimatedRows: 3, primaryKey: ['id'] });
  expect(customers.columns.map((c) => [c.name, c.type, c.primaryKey])).toEqual([['id', 'int(11)', true], ['email', 'varchar(200)', false], ['region', 'varchar(20)', false]]);
  expect(customers.indexes).toEqual([{ name: 'customers_region', columns: ['region'], unique: false }, { name: 'PRIMARY', columns: ['id'], unique: true }]);
  expect(all.graph.edges).toEqual([{ source: `${database}.orders`, target: `${database}.customers`, columns: ['customer_id'] }]);

  const mine = (await schemaOf(analyst))!;
  expect(mine.schemas[0]!.tables.map((x) => x.qualifiedName)).toEqual([`${database}.customers`, `${database}.orders`]);
  expect(mine.schemas[0]!.tables[0]!.columns.find((c) => c.name === 'email')).toMatchObject({ masking: 'PARTIAL', restricted: false });
  expect(mine.schemas[0]!.tables[1]!.columns.find((c) => c.name === 'customer_id')).toMatchObject({ foreignKey: true });
});

it('previews a table through the governed path: rows filtered by row security, values masked', async () => {
  const result = await mutate<{ status: string; query: string; result: { rows: unknown[][] } }>('previewTable',
    `mutation($input: PreviewTableInput!) { previewTable(input: $input) { __typename
      ... on MutationPreviewTableSuccess { data { status query result { rows } } } ... on Error { code message } } }`,
    { input: { datasourceId, table: 'customers', limit: 10 } }, analyst);
  expect(result.data).toMatchObject({ status: 'EXECUTED', query: 'SELECT * FROM `customers` LIMIT 10' });
  expect(result.data!.result.rows).toEqual([[1, '****example.com', 'eu'], [3, '***example.com', 'eu']]);
  const hidden = await mutate('previewTable', `mutation($input: PreviewTableInput!) { previewTable(input: $input) { __typename } }`,
    { input: { datasourceId, table: 'audit_trail' } }, analyst);
  expect(hidden.__typename).toBe('NotFound');
});

it('reports the health of the MariaDB datasource after those requests', async () => {
  const health = ok(await t.gql<{ datasourceHealth: { pool: { max: number; total: number; idle: number; waiting: number } | null; connection: { ok: boolean; serverVersion: string }; submitted: number; executed: number; errorCount: number; p50DurationMs: number | null } }>(
    `query($id: ID!) { datasourceHealth(datasourceId: $id) { pool { max total idle waiting } connection { ok serverVersion } submitted executed errorCount p50DurationMs } }`,
    { id: datasourceId }, org.admin)).datasourceHealth;
  expect(health).toMatchObject({ connection: { ok: true }, submitted: 1, executed: 1, errorCount: 0 });
  expect(health.connection.serverVersion).toMatch(/MariaDB/);
  expect(health.p50DurationMs).toBeGreaterThanOrEqual(0);
  expect(health.pool).toMatchObject({ max: 10, waiting: 0 });
  expect(health.pool!.idle).toBe(health.pool!.total);
});
