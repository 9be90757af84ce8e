/** analyzeSql: a script reviewed statement by statement, as submitQuery would judge each one, with nothing stored. */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { inject, afterAll, beforeAll, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../../test/servers.ts';
import { createOrg, createTestApp, createUserWithKey, ok, rowCounts, setupFirstOrg, superuserQuery, type Caller, type Org, type TestApp } from '../../../test/harness.ts';
import { workflow } from './requests.fixture.ts';

let t: TestApp;
let org: Org;
let postgresId: string;
let mariadbId: string;
let analyst: Caller & { id: string };
let { mutate } = {} as ReturnType<typeof workflow>;
let mariadb: mysql.Connection;
let mariadbDatabase: string;

const ANALYZE = `query($input: AnalyzeSqlInput!) { analyzeSql(input: $input) { __typename
  ... on QueryAnalyzeSqlSuccess { data { statements { startLine endLine text queryType readOnly tables hasWhere hasLimit rejected rejectionReason message allowed deniedReason riskScore riskLevel riskIssues { code } } } }
  ... on Error { code message } } }`;

interface Analyzed {
  startLine: number;
  endLine: number;
  text: string;
  queryType: string | null;
  tables: string[];
  rejected: boolean;
  rejectionReason: string | null;
  allowed: boolean;
  deniedReason: string | null;
  riskLevel: string | null;
  riskIssues: { code: string }[];
}

async function analyze(datasourceId: string, sql: string, caller: Caller) {
  return ok(await t.gql<{ analyzeSql: { __typename: string; data?: { statements: Analyzed[] }; code?: string; message?: string } }>(ANALYZE, { input: { datasourceId, sql } }, caller)).analyzeSql;
}

async function upsertDatasource(input: Record<string, unknown>): Promise<string> {
  const created = await mutate<{ id: string }>(
    'upsertDatasource',
    `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename ... on MutationUpsertDatasourceSuccess { data { id } } ... on Error { code message } } }`,
    { input },
    org.admin,
  );
  expect(created.__typename).toBe('MutationUpsertDatasourceSuccess');
  return created.data!.id;
}

beforeAll(async () => {
  t = await createTestApp();
  ({ mutate } = workflow(t, () => postgresId));
  org = await setupFirstOrg(t);
  const targetUrl = await createPostgresDatabase(inject('postgresUrl'));
  await superuserQuery(targetUrl, 'create table accounts (id int primary key, email text); create schema payroll; create table payroll.salaries (id int)');
  const url = new URL(targetUrl);
  postgresId = await upsertDatasource({ name: 'ledger', dbType: 'POSTGRESQL', host: url.hostname, port: Number(url.port), databaseName: url.pathname.slice(1), username: 'postgres', password: 'unused-with-trust' });

  const server = new URL(inject('mariadbUrl'));
  mariadbDatabase = `review_${randomBytes(4).toString('hex')}`;
  mariadb = await mysql.createConnection({ host: server.hostname, port: Number(server.port), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password) });
  await mariadb.query(`create database ${mariadbDatabase}`);
  mariadbId = await upsertDatasource({ name: 'shop', dbType: 'MARIADB', host: server.hostname, port: Number(server.port), databaseName: mariadbDatabase, username: decodeURIComponent(server.username), password: decodeURIComponent(server.password) });

  analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'analyst@acme.test');
  for (const datasourceId of [postgresId, mariadbId]) {
    await mutate('upsertGrant', `mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }`,
      { input: { datasourceId, userId: analyst.id, canRead: true, canWrite: true, allowedSchemas: ['public', mariadbDatabase] } }, org.admin);
  }
});
afterAll(async () => {
  await mariadb.query(`drop database ${mariadbDatabase}`);
  await mariadb.end();
  await t.close();
});

it('splits a PostgreSQL migration into statements with their lines, skipping transaction control', async () => {
  const script = [
    '-- migration 42',
    'BEGIN;',
    "UPDATE accounts SET email = 'x'",
    '  WHERE id = 1;',
    'DELETE FROM accounts; -- oops, no WHERE',
    "SELECT 'a;b' AS semicolon_in_string, id FROM accounts LIMIT 5;",
    '/* a /* nested */ comment */ -- and a line comment',
    'INSERT INTO accounts VALUES (2, \'b\');',
    'COMMIT;',
  ].join('\n');
  const result = await analyze(postgresId, script, analyst);
  expect(result.__typename).toBe('QueryAnalyzeSqlSuccess');
  const statements = result.data!.statements;
  expect(statements.map((s) => [s.startLine, s.endLine, s.queryType, s.allowed])).toEqual([
    [3, 4, 'UPDATE', true],
    [5, 5, 'DELETE', true],
    [6, 6, 'SELECT', true],
    [8, 8, 'INSERT', true],
  ]);
  expect(statements[0]!.text).toBe("UPDATE accounts SET email = 'x'\n  WHERE id = 1");
  expect(statements[1]!.riskIssues.map((i) => i.code)).toContain('WRITE_WITHOUT_WHERE');
  expect(statements[2]!.tables).toEqual(['accounts']);
});

it('reports refused statements and statements outside the grant, and stores nothing', async () => {
  const before = await rowCounts(t.databaseUrl!);
  const statements = (await analyze(postgresId, "SELECT * FROM payroll.salaries;\nSELECT pg_sleep(10);\nDROP TABLE accounts;\nSELEC oops;", analyst)).data!.statements;
  // A statement that does not parse takes the rest of the script with it: the real parser reports one error.
  expect(statements).toHaveLength(1);
  expect(statements[0]).toMatchObject({ startLine: 1, rejected: true, rejectionReason: 'PARSE_ERROR', allowed: false });

  const checked = (await analyze(postgresId, 'SELECT * FROM payroll.salaries;\nSELECT pg_sleep(10);\nDROP TABLE accounts;', analyst)).data!.statements;
  expect(checked[0]).toMatchObject({ startLine: 1, rejected: false, allowed: false, tables: ['payroll.salaries'] });
  expect(checked[0]!.deniedReason).toContain('payroll.salaries');
  expect(checked[1]).toMatchObject({ startLine: 2, rejected: true, rejectionReason: 'UNSAFE_FUNCTION', allowed: false });
  expect(checked[2]).toMatchObject({ startLine: 3, queryType: 'DDL', allowed: false });
  expect(checked[2]!.deniedReason).toContain('QUERY_SUBMIT_DDL');
  expect(await rowCounts(t.databaseUrl!)).toEqual(before);
});

it('splits MariaDB scripts with the MySQL lexer, executable comments refused', async () => {
  const statements = (await analyze(mariadbId, "select 1;\n# a comment; not a statement\nselect 'x;y' /* ; */ from dual;\nselect 1 /*!50000 , sleep(5) */;", analyst)).data!.statements;
  expect(statements.map((s) => [s.startLine, s.queryType, s.rejected])).toEqual([
    [1, 'SELECT', false],
    [3, 'SELECT', false],
    [4, null, true],
  ]);
  expect(statements[2]!.rejectionReason).toBe('EXECUTABLE_COMMENT');
});

it('says why a caller without a grant would be refused', async () => {
  const ungranted = await createUserWithKey(t, org.admin, 'ANALYST', 'ungranted@acme.test');
  const [statement] = (await analyze(postgresId, 'select id from accounts', ungranted)).data!.statements;
  expect(statement).toMatchObject({ rejected: false, allowed: false, queryType: 'SELECT' });
});

it('refuses another org’s datasource, an unknown one and oversize input with typed errors', async () => {
  const other = await createOrg(t, org.admin, 'Other', 'admin@other.test');
  expect(await analyze(postgresId, 'select 1', other.admin)).toMatchObject({ __typename: 'NotFound' });
  expect(await analyze('00000000-0000-4000-8000-000000000000', 'select 1', analyst)).toMatchObject({ __typename: 'NotFound' });
  expect(await analyze(postgresId, 'x'.repeat(1_000_001), analyst)).toMatchObject({ __typename: 'ValidationError' });
});
