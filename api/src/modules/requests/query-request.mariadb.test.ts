/** The same governed workflow against a real MariaDB target (MySQL protocol, node-sql-parser classification). */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { inject, afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUserWithKey, setupFirstOrg, type Caller, type Org, type TestApp } from '../../../test/harness.ts';
import { workflow } from './requests.fixture.ts';

let t: TestApp;
let org: Org;
let database: string;
let datasourceId: string;
let analyst: Caller & { id: string };
let reviewer: Caller & { id: string };
let { submit, decide, execute, mutate } = {} as ReturnType<typeof workflow>;
let admin: mysql.Connection;

beforeAll(async () => {
  t = await createTestApp();
  ({ submit, decide, execute, mutate } = workflow(t, () => datasourceId));
  org = await setupFirstOrg(t);
  const server = new URL(inject('mariadbUrl'));
  database = `crm_${randomBytes(4).toString('hex')}`;
  admin = await mysql.createConnection({ host: server.hostname, port: Number(server.port), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password), multipleStatements: true });
  await admin.query(`create database ${database}; use ${database};
    create table customers (id int primary key, email varchar(200), region varchar(20));
    insert into customers values (1, 'ann@example.com', 'eu'), (2, 'bob@example.com', 'us'), (3, 'cy@example.com', 'eu');`);
  const created = await mutate<{ id: string }>(
    'upsertDatasource',
    `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename ... on MutationUpsertDatasourceSuccess { data { id } } ... on Error { code message } } }`,
    { input: { name: 'crm-mariadb', dbType: 'MARIADB', host: server.hostname, port: Number(server.port), databaseName: database, username: decodeURIComponent(server.username), password: decodeURIComponent(server.password) } },
    org.admin,
  );
  expect(created.__typename).toBe('MutationUpsertDatasourceSuccess');
  datasourceId = created.data!.id;
  analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'analyst@acme.test');
  reviewer = await createUserWithKey(t, org.admin, 'REVIEWER', 'reviewer@acme.test');
  await mutate('upsertGrant', `mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }`,
    { input: { datasourceId, userId: analyst.id, canRead: true, canWrite: true, allowedSchemas: [database] } }, org.admin);
  await mutate('upsertMaskingPolicy', `mutation($input: UpsertMaskingPolicyInput!) { upsertMaskingPolicy(input: $input) { __typename } }`,
    { input: { datasourceId, columnRef: 'customers.email', strategy: 'PARTIAL', strategyParams: { visible_suffix: '11' } } }, org.admin);
});
afterAll(async () => {
  await admin.query(`drop database ${database}`);
  await admin.end();
  await t.close();
});

it('auto-approves and masks a read', async () => {
  const request = (await submit('select id, email from customers where region = \'eu\' order by id limit 10', analyst, { execute: true })).data!;
  expect(request).toMatchObject({ status: 'EXECUTED', readOnly: true });
  expect(request.result!.rows).toEqual([[1, '****example.com'], [3, '***example.com']]);
});

it('holds a write for review, then runs it for the submitter', async () => {
  const submitted = (await submit("update customers set region = 'apac' where id = 2", analyst)).data!;
  expect(submitted.status).toBe('PENDING_REVIEW');
  expect((await decide(submitted.id, 'APPROVE', reviewer)).data!.status).toBe('APPROVED');
  expect((await execute(submitted.id, analyst)).data!).toMatchObject({ status: 'EXECUTED', rowsAffected: 1 });
  const [rows] = await admin.query(`select region from ${database}.customers where id = 2`);
  expect(rows).toEqual([{ region: 'apac' }]);
});

it('rejects MySQL executable comments and other databases', async () => {
  expect(await submit('select 1 /*!50000 , sleep(5) */', analyst)).toMatchObject({ __typename: 'QueryRejected', reason: 'EXECUTABLE_COMMENT' });
  expect(await submit('select * from mysql.user', analyst)).toMatchObject({ __typename: 'Forbidden' });
});

it('compares names as written: on a case-sensitive server the upper-case twin of the allowed database is another database', async () => {
  const [[setting]] = (await admin.query('select @@lower_case_table_names as value')) as unknown as [{ value: number }[]];
  // The harness's server is Linux's default: names are case-sensitive, so both databases exist side by side.
  expect(Number(setting!.value)).toBe(0);
  const twin = database.toUpperCase();
  await admin.query(`create database \`${twin}\`; create table \`${twin}\`.customers (id int, email varchar(200)); insert into \`${twin}\`.customers values (9, 'hidden@twin')`);
  try {
    for (const sql of [`select * from ${twin}.customers`, `select * from \`${twin}\`.customers`, `select c.id from customers c join ${twin}.customers t on t.id = c.id`]) {
      const result = await submit(sql, analyst, { execute: true });
      expect(result, sql).toMatchObject({ __typename: 'Forbidden' });
      expect(result.message).toContain(`${twin}.customers`);
    }
    // The database as configured still reads, qualified or not.
    const own = (await submit(`select id from ${database}.customers where id = 1`, analyst, { execute: true })).data!;
    expect(own.result!.rows).toEqual([[1]]);
  } finally {
    await admin.query(`drop database \`${twin}\``);
  }
});

it('masks what is read through a view in full, since what a view reads is not known here', async () => {
  await admin.query(`create view ${database}.customers_v as select id, email as contact from ${database}.customers; create view ${database}.plain_v as select 1 as one`);
  const request = (await submit('select id, contact from customers_v where id = 1', analyst, { execute: true })).data!;
  expect(request.result!.rows).toEqual([['***', '***']]);
  // A statement naming no view keeps its precise masking.
  const direct = (await submit('select id, email from customers where id = 1', analyst, { execute: true })).data!;
  expect(direct.result!.rows).toEqual([[1, '****example.com']]);
  const plain = (await submit('select one from plain_v', analyst, { execute: true })).data!;
  expect(plain.result!.rows).toEqual([['***']]);
});

it('refuses a view to someone row security applies to, since what the view reads is not known here', async () => {
  const scoped = await createUserWithKey(t, org.admin, 'ANALYST', 'scoped@acme.test');
  await mutate('upsertGrant', 'mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }',
    { input: { datasourceId, userId: scoped.id, canRead: true, allowedSchemas: [database] } }, org.admin);
  const policy = await mutate('upsertRowSecurityPolicy', 'mutation($input: UpsertRowSecurityPolicyInput!) { upsertRowSecurityPolicy(input: $input) { __typename ... on Error { message } } }',
    { input: { datasourceId, tableName: 'customers', columnName: 'region', operator: 'EQUALS', valueType: 'LITERAL', valueExpression: 'eu', appliesToUserIds: [scoped.id] } }, org.admin);
  expect(policy.__typename).toBe('MutationUpsertRowSecurityPolicySuccess');
  await admin.query(`create view ${database}.regions_v as select id, region from ${database}.customers`);
  const viaView = (await submit('select id from regions_v', scoped, { execute: true })).data!;
  expect(viaView).toMatchObject({ status: 'FAILED', result: null });
  expect(viaView.error).toMatch(/regions_v is a view, and what it reads is not known here while row security applies to you/);
  const direct = (await submit('select id from customers order by id', scoped, { execute: true })).data!;
  expect(direct.result!.rows.every(([id]) => id !== 2)).toBe(true);
});
