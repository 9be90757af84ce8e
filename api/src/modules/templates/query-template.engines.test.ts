/**
 * Bound values arrive exactly as given on real PostgreSQL and MariaDB targets: each value goes through a
 * template `select :v as v`, the governed submit and the engine, and comes back unchanged; a hostile value
 * stays data and the target's table is untouched.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresDatabase } from '../../../test/servers.ts';
import { createTestApp, ok, setupFirstOrg, superuserQuery, type Org, type TestApp } from '../../../test/harness.ts';

let t: TestApp;
let org: Org;
const datasourceIds: Record<'POSTGRESQL' | 'MARIADB', string> = { POSTGRESQL: '', MARIADB: '' };
let mariadb: mysql.Connection;
let mariadbName: string;

interface Result<T> {
  __typename: string;
  data?: T;
  message?: string;
}

async function upsertDatasource(input: Record<string, unknown>): Promise<string> {
  const result = ok(await t.gql<{ upsertDatasource: Result<{ id: string }> }>(
    `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename ... on MutationUpsertDatasourceSuccess { data { id } } ... on Error { message } } }`,
    { input },
    org.admin,
  )).upsertDatasource;
  if (!result.data) throw new Error(result.message);
  return result.data.id;
}

async function template(name: string, body: string, datasourceId: string): Promise<string> {
  return ok(await t.gql<{ upsertQueryTemplate: Result<{ id: string }> }>(
    `mutation($input: UpsertQueryTemplateInput!) { upsertQueryTemplate(input: $input) { __typename ... on MutationUpsertQueryTemplateSuccess { data { id } } } }`,
    { input: { name, body, datasourceId } },
    org.admin,
  )).upsertQueryTemplate.data!.id;
}

async function run(templateId: string, parameters: Record<string, unknown>) {
  return ok(await t.gql<{ submitQueryFromTemplate: Result<{ status: string; error: string | null; result: { rows: unknown[][] } | null }> }>(
    `mutation($input: SubmitQueryFromTemplateInput!) { submitQueryFromTemplate(input: $input) { __typename
      ... on MutationSubmitQueryFromTemplateSuccess { data { status error result { rows } } } ... on Error { message } } }`,
    { input: { templateId, parameters, justification: 'round trip', execute: true } },
    org.admin,
  )).submitQueryFromTemplate;
}

beforeAll(async () => {
  t = await createTestApp();
  org = await setupFirstOrg(t);
  const pgUrl = new URL(await createPostgresDatabase(inject('postgresUrl')));
  await superuserQuery(pgUrl.toString(), `create table notes (id int primary key, note text); insert into notes values (1, 'kept');`);
  datasourceIds.POSTGRESQL = await upsertDatasource({ name: 'pg', dbType: 'POSTGRESQL', host: pgUrl.hostname, port: Number(pgUrl.port), databaseName: pgUrl.pathname.slice(1), username: 'postgres' });
  const server = new URL(inject('mariadbUrl'));
  mariadbName = `tpl_${randomBytes(4).toString('hex')}`;
  const credentials = { user: decodeURIComponent(server.username), password: decodeURIComponent(server.password) };
  mariadb = await mysql.createConnection({ host: server.hostname, port: Number(server.port), ...credentials, multipleStatements: true });
  await mariadb.query(`create database ${mariadbName}; use ${mariadbName}; create table notes (id int primary key, note varchar(200)); insert into notes values (1, 'kept');`);
  datasourceIds.MARIADB = await upsertDatasource({ name: 'maria', dbType: 'MARIADB', host: server.hostname, port: Number(server.port), databaseName: mariadbName, username: credentials.user, password: credentials.password });
});
afterAll(async () => {
  await mariadb?.query(`drop database if exists ${mariadbName}`);
  await mariadb?.end();
  await t.close();
});

const STRINGS = ["O'Brien", 'a\\b', "\\'; delete from notes; --", "x' or '1'='1", 'ünïcødé ✓', '', '$$x$$', '-- not a comment', '/* not a comment */', 'line\nbreak', '\\\\', "''"];

describe.each(['POSTGRESQL', 'MARIADB'] as const)('%s', (engine) => {
  it('returns every string value exactly as bound', async () => {
    const id = await template(`echo ${engine}`, 'select :v as v', datasourceIds[engine]);
    for (const value of STRINGS) {
      const result = await run(id, { v: value });
      expect(result.data, `${engine} ${JSON.stringify(value)}: ${result.message}`).toMatchObject({ status: 'EXECUTED', result: { rows: [[value]] } });
    }
  });

  it('keeps hostile values as data: no row matches and the table is untouched', async () => {
    const id = await template(`by note ${engine}`, 'select id from notes where note = :note', datasourceIds[engine]);
    for (const value of ["x'; delete from notes; --", "\\'; delete from notes; --", "' or 1=1 --"]) {
      expect((await run(id, { note: value })).data, value).toMatchObject({ status: 'EXECUTED', result: { rows: [] } });
    }
    expect((await run(id, { note: 'kept' })).data).toMatchObject({ status: 'EXECUTED', result: { rows: [[1]] } });
  });

  it('binds numbers, booleans and null as literals', async () => {
    const id = await template(`scalars ${engine}`, 'select :i + 1 as i, :n as n, :f * 2 as f, :b as b, :z as z', datasourceIds[engine]);
    const result = await run(id, { i: 41, n: -3, f: 1.25, b: true, z: null });
    expect(result.data?.status, result.message).toBe('EXECUTED');
    const [i, n, f, b, z] = result.data!.result!.rows[0]!;
    expect([Number(i), Number(n), Number(f), b === true || b === 1 || b === '1', z]).toEqual([42, -3, 2.5, true, null]);
  });
});
