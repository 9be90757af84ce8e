/**
 * Impact preview: the rows a write would touch, counted by a read-only query built from its parse tree, under
 * the submitter's row security — on real PostgreSQL and MariaDB targets; nothing on the target changes.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { inject, afterAll, beforeAll, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../../test/servers.ts';
import { createOrg, createTestApp, createUserWithKey, setupFirstOrg, superuserQuery, type Caller, type Org, type TestApp } from '../../../test/harness.ts';
import { workflow } from './requests.fixture.ts';

interface Preview {
  totalRows: number;
  statements: { text: string; rows: number; upperBound: boolean; countSql: string | null }[];
}

let t: TestApp;
let org: Org;
let targetUrl: string;
let postgresId: string;
let mariadbId: string;
let current = '';
let analyst: Caller & { id: string };
let scoped: Caller & { id: string };
let reviewer: Caller & { id: string };
let { submit, execute, decide, mutate } = {} as ReturnType<typeof workflow>;
let mariadb: mysql.Connection;
let mariadbDatabase: string;

const preview = (id: string, caller: Caller) =>
  mutate<Preview>(
    'previewQueryImpact',
    `mutation($id: ID!) { previewQueryImpact(id: $id) { __typename
      ... on MutationPreviewQueryImpactSuccess { data { totalRows statements { text rows upperBound countSql } } }
      ... on Error { code message } ... on QueryRejected { reason } } }`,
    { id },
    caller,
  );

async function submitOn(datasourceId: string, sql: string, caller: Caller) {
  current = datasourceId;
  const submitted = await submit(sql, caller);
  expect(submitted.data, submitted.message).toBeDefined();
  return submitted.data!;
}

beforeAll(async () => {
  t = await createTestApp();
  ({ submit, execute, decide, mutate } = workflow(t, () => current));
  org = await setupFirstOrg(t);
  targetUrl = await createPostgresDatabase(inject('postgresUrl'));
  await superuserQuery(targetUrl, `
    create table customers (id int primary key, region text, tier text);
    insert into customers select i, case when i % 2 = 0 then 'eu' else 'us' end, 'basic' from generate_series(1, 20) i;
    create table vip (customer_id int);
    insert into vip values (1), (2), (3);`);
  const url = new URL(targetUrl);
  const upsert = async (input: Record<string, unknown>) =>
    (await mutate<{ id: string }>('upsertDatasource',
      `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename ... on MutationUpsertDatasourceSuccess { data { id } } ... on Error { message } } }`,
      { input }, org.admin)).data!.id;
  postgresId = await upsert({ name: 'crm', dbType: 'POSTGRESQL', host: url.hostname, port: Number(url.port), databaseName: url.pathname.slice(1), username: 'postgres', password: 'unused-with-trust' });

  const server = new URL(inject('mariadbUrl'));
  mariadbDatabase = `impact_${randomBytes(4).toString('hex')}`;
  mariadb = await mysql.createConnection({ host: server.hostname, port: Number(server.port), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password), multipleStatements: true });
  await mariadb.query(`create database ${mariadbDatabase}; use ${mariadbDatabase};
    create table orders (id int primary key, state varchar(10)); insert into orders values (1, 'open'), (2, 'open'), (3, 'closed');`);
  mariadbId = await upsert({ name: 'shop', dbType: 'MARIADB', host: server.hostname, port: Number(server.port), databaseName: mariadbDatabase, username: decodeURIComponent(server.username), password: decodeURIComponent(server.password) });

  analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'analyst@acme.test');
  scoped = await createUserWithKey(t, org.admin, 'ANALYST', 'scoped@acme.test');
  reviewer = await createUserWithKey(t, org.admin, 'REVIEWER', 'reviewer@acme.test');
  await mutate('updateUser', 'mutation($id: ID!) { updateUser(input: { id: $id, attributes: { region: "eu" } }) { __typename } }', { id: scoped.id }, org.admin);
  for (const [datasourceId, userId] of [[postgresId, analyst.id], [postgresId, scoped.id], [mariadbId, analyst.id]] as const) {
    await mutate('upsertGrant', 'mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }',
      { input: { datasourceId, userId, canRead: true, canWrite: true, canDdl: true } }, org.admin);
  }
  await mutate('upsertRowSecurityPolicy', 'mutation($input: UpsertRowSecurityPolicyInput!) { upsertRowSecurityPolicy(input: $input) { __typename } }',
    { input: { datasourceId: postgresId, tableName: 'customers', columnName: 'region', operator: 'EQUALS', valueType: 'VARIABLE', valueExpression: ':user.region', appliesToUserIds: [scoped.id] } }, org.admin);
});
afterAll(async () => {
  await mariadb.query(`drop database ${mariadbDatabase}`);
  await mariadb.end();
  await t.close();
});

it('counts what an UPDATE would touch, for the reviewer, and then touches exactly that many', async () => {
  const request = await submitOn(postgresId, "update customers set tier = 'gold' where id <= 7", analyst);
  const counted = (await preview(request.id, reviewer)).data!;
  expect(counted).toMatchObject({ totalRows: 7, statements: [{ rows: 7, upperBound: false, countSql: 'SELECT count(*) FROM customers WHERE id <= 7' }] });
  expect(await superuserQuery(targetUrl, "select count(*)::int as n from customers where tier = 'gold'")).toEqual([{ n: 0 }]);
  await decide(request.id, 'APPROVE', reviewer);
  expect((await execute(request.id, analyst)).data).toMatchObject({ rowsAffected: 7 });
});

it('counts UPDATE … FROM once per target row, DELETE without WHERE, INSERT … VALUES and INSERT … SELECT', async () => {
  const cases: [string, number][] = [
    ["update customers set tier = 'vip' from vip where customers.id = vip.customer_id", 3],
    ['delete from vip', 3],
    ['insert into vip values (4), (5)', 2],
    ["insert into vip select id from customers where region = 'eu'", 10],
  ];
  for (const [sql, rows] of cases) {
    const request = await submitOn(postgresId, sql, analyst);
    expect((await preview(request.id, analyst)).data, sql).toMatchObject({ totalRows: rows });
  }
  const batch = await submitOn(postgresId, "BEGIN; delete from vip where customer_id = 1; update customers set tier = 'x' where id > 18; COMMIT", analyst);
  expect((await preview(batch.id, analyst)).data!.statements.map((s) => s.rows)).toEqual([1, 2]);
});

it('counts under the submitter’s row security, as the write would run', async () => {
  const request = await submitOn(postgresId, "update customers set tier = 'eu-only' where id <= 10", scoped);
  expect((await preview(request.id, reviewer)).data).toMatchObject({ totalRows: 5 });
});

it('refuses reads, DDL, strangers and another organization with typed errors', async () => {
  const read = await submitOn(postgresId, 'select * from customers where id = 1', analyst);
  expect(await preview(read.id, analyst)).toMatchObject({ __typename: 'Conflict' });
  const ddl = await submitOn(postgresId, 'alter table vip add column note text', org.admin);
  expect(await preview(ddl.id, reviewer)).toMatchObject({ __typename: 'QueryRejected', reason: 'UNSUPPORTED_STATEMENT' });
  const write = await submitOn(postgresId, "update customers set tier = 'z' where id = 1", analyst);
  expect(await preview(write.id, scoped)).toMatchObject({ __typename: 'NotFound' });
  const other = await createOrg(t, org.admin, 'Other', 'admin@other.test');
  expect(await preview(write.id, other.admin)).toMatchObject({ __typename: 'NotFound' });
});

it('counts only for a write still waiting, and only while its submitter may still run it and read', async () => {
  const rejected = await submitOn(postgresId, "update customers set tier = 'r' where id = 2", analyst);
  await decide(rejected.id, 'REJECT', reviewer, 'no');
  expect(await preview(rejected.id, reviewer)).toMatchObject({ __typename: 'Conflict' });

  const pending = await submitOn(postgresId, "update customers set tier = 'w' where id = 3", analyst);
  await mutate('upsertGrant', 'mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }',
    { input: { datasourceId: postgresId, userId: analyst.id, canRead: false, canWrite: true, canDdl: true } }, org.admin);
  try {
    expect(await preview(pending.id, reviewer)).toMatchObject({ __typename: 'Forbidden' });
  } finally {
    await mutate('upsertGrant', 'mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }',
      { input: { datasourceId: postgresId, userId: analyst.id, canRead: true, canWrite: true, canDdl: true } }, org.admin);
  }
});

it('counts MariaDB writes the same way', async () => {
  const update = await submitOn(mariadbId, "update orders set state = 'closed' where state = 'open'", analyst);
  expect((await preview(update.id, reviewer)).data).toMatchObject({ totalRows: 2 });
  const insert = await submitOn(mariadbId, "insert into orders select id + 10, state from orders where state = 'closed'", analyst);
  expect((await preview(insert.id, reviewer)).data).toMatchObject({ totalRows: 1 });
  const [rows] = await mariadb.query(`select count(*) as n from ${mariadbDatabase}.orders where state = 'open'`);
  expect(rows).toEqual([{ n: 2 }]);
});
