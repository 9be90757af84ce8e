/**
 * The public classifier corpus (api/src/engines/sql/corpus.tsv) through the whole governed path against real
 * servers: every case marked unsafe is refused at submission, so no request exists that could run; every case
 * marked safe is accepted, approved and run, and either succeeds or fails only because the fixture database
 * lacks an object it names (the corpus names tables it does not define).
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadCorpus, type CorpusEngine } from '../../engines/sql/corpus.ts';
import { createPostgresDatabase } from '../../../test/servers.ts';
import { createTestApp, createUserWithKey, setupFirstOrg, superuserQuery, type Caller, type Org, type TestApp } from '../../../test/harness.ts';
import { workflow } from './requests.fixture.ts';

/** Failures that only say the fixture database lacks what the statement names (or what it would create exists). */
const MISSING_OBJECT = /does not exist|doesn't exist|Unknown (column|table|database|view)|already exists|must appear in the GROUP BY|Foreign key constraint is incorrectly formed/i;
/** The engine's second wall: a statement classified as a read that the server will not run read-only (EXPLAIN of a write). */
const READ_ONLY_WALL = /READ ONLY transaction|read-only transaction/i;
/** `mysql` cases run on MariaDB here (no MySQL server is available): MySQL 8-only syntax is a syntax error there. */
const MYSQL_ONLY_SYNTAX = /You have an error in your SQL syntax/;

let t: TestApp;
let org: Org;
let reviewer: Caller;
const datasourceIds: Partial<Record<CorpusEngine, string>> = {};
let current = '';
let { submit, decide, execute, mutate } = {} as ReturnType<typeof workflow>;

beforeAll(async () => {
  t = await createTestApp();
  ({ submit, decide, execute, mutate } = workflow(t, () => current));
  org = await setupFirstOrg(t);
  reviewer = await createUserWithKey(t, org.admin, 'ADMIN', 'second-admin@acme.test');
  const upsert = async (name: string, input: Record<string, unknown>) => {
    const result = await mutate<{ id: string }>('upsertDatasource',
      `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename ... on MutationUpsertDatasourceSuccess { data { id } } ... on Error { message } } }`,
      { input: { name, statementTimeoutSeconds: 5, ...input } }, org.admin);
    if (!result.data) throw new Error(`${name}: ${result.__typename} ${result.message}`);
    return result.data.id;
  };
  const pg = new URL(await createPostgresDatabase(inject('postgresUrl')));
  await superuserQuery(pg.toString(), 'create schema s; create schema secret');
  datasourceIds.postgresql = await upsert('corpus-pg', { dbType: 'POSTGRESQL', host: pg.hostname, port: Number(pg.port), databaseName: pg.pathname.slice(1), username: 'postgres' });
  const maria = new URL(inject('mariadbUrl'));
  const database = `corpus_${randomBytes(4).toString('hex')}`;
  const connection = await mysql.createConnection({ host: maria.hostname, port: Number(maria.port), user: decodeURIComponent(maria.username), password: decodeURIComponent(maria.password) });
  await connection.query(`create database ${database}`);
  await connection.end();
  const mariaInput = { host: maria.hostname, port: Number(maria.port), databaseName: database, username: decodeURIComponent(maria.username), password: decodeURIComponent(maria.password) };
  datasourceIds.mysql = await upsert('corpus-mysql', { dbType: 'MYSQL', ...mariaInput });
  datasourceIds.mariadb = await upsert('corpus-mariadb', { dbType: 'MARIADB', ...mariaInput });
});
afterAll(() => t.close());

const corpus = loadCorpus();
const requestCount = async () => Number((await superuserQuery<{ n: string }>(t.databaseUrl!, 'select count(*) as n from query_requests'))[0]!.n);

describe('cases marked unsafe', () => {
  it.each(corpus.filter((c) => c.expected.startsWith('REJECT:')))('$engine line $line is refused before a request exists', async ({ engine, sql, expected }) => {
    current = datasourceIds[engine]!;
    const before = await requestCount();
    const result = await submit(sql, org.admin, { execute: true });
    expect(result).toMatchObject({ __typename: 'QueryRejected', reason: expected.slice('REJECT:'.length) });
    expect(await requestCount()).toBe(before);
  });
});

describe('cases marked safe', () => {
  it.each(corpus.filter((c) => !c.expected.startsWith('REJECT:')))('$engine line $line is accepted and run', async ({ engine, sql }) => {
    current = datasourceIds[engine]!;
    const submitted = await submit(sql, org.admin, { execute: true });
    expect(submitted.__typename, submitted.message ?? submitted.reason).toBe('MutationSubmitQuerySuccess');
    let request = submitted.data!;
    if (request.status === 'PENDING_REVIEW') {
      expect((await decide(request.id, 'APPROVE', reviewer)).data?.status).toBe('APPROVED');
      request = (await execute(request.id, org.admin)).data!;
    }
    expect(['EXECUTED', 'FAILED']).toContain(request.status);
    if (request.status === 'FAILED') {
      const expected = engine === 'mysql' ? [MISSING_OBJECT, READ_ONLY_WALL, MYSQL_ONLY_SYNTAX] : [MISSING_OBJECT, READ_ONLY_WALL];
      expect(expected.some((pattern) => pattern.test(request.error ?? '')), request.error ?? '').toBe(true);
    }
  });
});
