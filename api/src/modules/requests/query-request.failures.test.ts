/**
 * How the governed path fails: expired grants, a target that is down or refuses the credentials, a statement
 * timeout — each a clear outcome, the request kept with the database's own message. Plus the result CSV and the
 * live status subscription.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createPostgresDatabase } from '../../../test/servers.ts';
import { createTestApp, createUserWithKey, ok, setupFirstOrg, superuserQuery, type Caller, type Org, type TestApp } from '../../../test/harness.ts';
import { workflow } from './requests.fixture.ts';

let t: TestApp;
let org: Org;
let analyst: Caller & { id: string };
let reviewer: Caller;
let current = '';
let pgId: string;
let { submit, decide, execute, mutate } = {} as ReturnType<typeof workflow>;

const UPSERT = `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename ... on MutationUpsertDatasourceSuccess { data { id } } ... on Error { code message } } }`;
async function datasource(input: Record<string, unknown>): Promise<string> {
  const result = await mutate<{ id: string }>('upsertDatasource', UPSERT, { input }, org.admin);
  if (!result.data) throw new Error(`${result.__typename}: ${result.message}`);
  return result.data.id;
}
async function grant(datasourceId: string, extra: Record<string, unknown> = {}) {
  await mutate('upsertGrant', 'mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }',
    { input: { datasourceId, userId: analyst.id, canRead: true, canWrite: true, ...extra } }, org.admin);
}

beforeAll(async () => {
  t = await createTestApp();
  ({ submit, decide, execute, mutate } = workflow(t, () => current));
  org = await setupFirstOrg(t);
  analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'analyst@acme.test');
  reviewer = await createUserWithKey(t, org.admin, 'REVIEWER', 'reviewer@acme.test');
  const pg = new URL(await createPostgresDatabase(inject('postgresUrl')));
  await superuserQuery(pg.toString(), `create table notes (id int primary key, body text); insert into notes values (1, 'a, "quoted"'), (2, null)`);
  pgId = await datasource({ name: 'pg', dbType: 'POSTGRESQL', host: pg.hostname, port: Number(pg.port), databaseName: pg.pathname.slice(1), username: 'postgres', statementTimeoutSeconds: 1 });
  await grant(pgId);
});
afterAll(() => t.close());

it('refuses an expired grant', async () => {
  current = pgId;
  await grant(pgId, { expiresAt: new Date(Date.now() + 60_000).toISOString() });
  ok(await t.gql('{ me { id } }', undefined, analyst));
  await superuserQuery(t.databaseUrl!, `update grants set expires_at = now() - interval '1 second' where user_id = $1`, [analyst.id]);
  expect(await submit('select id from notes', analyst)).toMatchObject({ __typename: 'Forbidden' });
  await grant(pgId);
});

it('ends a statement past its timeout as FAILED with the database message', async () => {
  current = pgId;
  const request = (await submit('select count(*) from generate_series(1, 500000000)', analyst, { execute: true })).data!;
  expect(request.status).toBe('FAILED');
  expect(request.error).toMatch(/statement timeout/);
});

it('keeps the request and says why when the target database is down', async () => {
  const closed = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
  current = await datasource({ name: 'down', dbType: 'POSTGRESQL', host: '127.0.0.1', port: closed, databaseName: 'x', username: 'x', verifyConnection: false });
  await grant(current);
  const request = (await submit('select 1', analyst, { execute: true })).data!;
  expect(request.status).toBe('FAILED');
  expect(request.error).toMatch(/ECONNREFUSED|connect/i);
  const kept = ok(await t.gql<{ queryRequest: { status: string } }>('query($id: ID!) { queryRequest(id: $id) { status } }', { id: request.id }, analyst));
  expect(kept.queryRequest.status).toBe('FAILED');
});

it('fails a run whose stored password the target refuses, with the database message and no password in it', async () => {
  const maria = new URL(inject('mariadbUrl'));
  const user = `af_${randomBytes(3).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const admin = await mysql.createConnection({ host: maria.hostname, port: Number(maria.port), user: decodeURIComponent(maria.username), password: decodeURIComponent(maria.password) });
  await admin.query(`create user '${user}'@'127.0.0.1' identified by '${password}'`);
  await admin.query(`grant select on mysql.* to '${user}'@'127.0.0.1'`);
  current = await datasource({ name: 'maria', dbType: 'MARIADB', host: maria.hostname, port: Number(maria.port), databaseName: 'mysql', username: user, password });
  await grant(current);
  const submitted = (await submit('select 1 as one', analyst)).data!;
  expect(submitted.status).toBe('APPROVED');
  await admin.query(`alter user '${user}'@'127.0.0.1' identified by 'rotated-${password}'`);
  await admin.end();
  const failed = (await execute(submitted.id, analyst)).data!;
  expect(failed.status).toBe('FAILED');
  expect(failed.error).toMatch(/Access denied for user/);
  expect(failed.error).not.toContain(password);
  const audit = JSON.stringify(await superuserQuery(t.databaseUrl!, 'select metadata from audit_events'));
  expect(audit).not.toContain(password);
  const datasources = JSON.stringify(await t.gql('{ datasources { edges { node { id name hasPassword passwordVersion } } } }', undefined, org.admin));
  expect(datasources).not.toContain(password);
});

it('exports the masked result as RFC 4180 CSV', async () => {
  current = pgId;
  const request = (await submit('select id, body from notes order by id', analyst, { execute: true })).data!;
  const csv = ok(await t.gql<{ queryRequest: { result: { csv: string } } }>('query($id: ID!) { queryRequest(id: $id) { result { csv } } }', { id: request.id }, analyst));
  expect(csv.queryRequest.result.csv).toBe('id,body\r\n1,"a, ""quoted"""\r\n2,\r\n');
});

it('streams status changes of a request to its submitter', async () => {
  current = pgId;
  const submitted = (await submit("update notes set body = 'b' where id = 2", analyst)).data!;
  const response = await t.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: analyst.authorization! },
    body: JSON.stringify({ query: 'subscription($id: ID!) { queryRequestUpdated(id: $id) { status } }', variables: { id: submitted.id } }),
  });
  const reader = response.body!.getReader();
  const statuses: string[] = [];
  const reading = (async () => {
    let buffer = '';
    while (statuses.length < 3) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += new TextDecoder().decode(value);
      for (const match of buffer.matchAll(/"status":"(\w+)"/g)) statuses.push(match[1]!);
      buffer = '';
    }
  })();
  // The subscription starts asynchronously: wait until it listens, then drive the request.
  await new Promise((resolve) => setTimeout(resolve, 300));
  await decide(submitted.id, 'APPROVE', reviewer);
  await execute(submitted.id, analyst);
  await Promise.race([reading, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  await reader.cancel();
  expect(statuses).toEqual(['APPROVED', 'EXECUTING', 'EXECUTED']);
});

it('fails a request left EXECUTING by a server that stopped, once, with an audit event', async () => {
  current = pgId;
  const submitted = (await submit("update notes set body = 'c' where id = 1", analyst)).data!;
  await decide(submitted.id, 'APPROVE', reviewer);
  // As if the server had claimed it and died: EXECUTING, last touched long ago.
  await superuserQuery(t.databaseUrl!, `update query_requests set status = 'EXECUTING', updated_at = now() - interval '1 hour' where id = $1`, [submitted.id]);
  const sweeps = await Promise.all([t.app.services.queryRequests.recoverAbandoned(), t.app.services.queryRequests.recoverAbandoned()]);
  expect(sweeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
  const [row] = await superuserQuery<{ status: string; error: string }>(t.databaseUrl!, 'select status, error from query_requests where id = $1', [submitted.id]);
  expect(row).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/stopped before it finished/) });
  const events = await superuserQuery<{ n: string }>(t.databaseUrl!, `select count(*) as n from audit_events where target_id = $1 and action = 'QUERY_FAILED' and source = 'SYSTEM'`, [submitted.id]);
  expect(Number(events[0]!.n)).toBe(1);
  // A run still within its statement timeout is left alone.
  const fresh = (await submit("update notes set body = 'd' where id = 1", analyst)).data!;
  await decide(fresh.id, 'APPROVE', reviewer);
  await superuserQuery(t.databaseUrl!, `update query_requests set status = 'EXECUTING' where id = $1`, [fresh.id]);
  await t.app.services.queryRequests.recoverAbandoned();
  expect(await superuserQuery(t.databaseUrl!, 'select status from query_requests where id = $1', [fresh.id])).toEqual([{ status: 'EXECUTING' }]);
});
