/**
 * Request groups (FEATURES C13) across a PostgreSQL and a MariaDB datasource: submitted as one (or not at all),
 * reviewed by the union of the members' approvers, run in order with stop-on-failure or continue-on-error,
 * PARTIALLY_EXECUTED when a member failed after others ran, live progress.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { inject, afterAll, beforeAll, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../../test/servers.ts';
import { createTestApp, createUserWithKey, rowCounts, setupFirstOrg, superuserQuery, type Caller, type Org, type TestApp } from '../../../test/harness.ts';
import { workflow } from '../requests/requests.fixture.ts';

interface Group {
  id: string;
  status: string;
  members: { id: string; status: string; error: string | null }[];
}

let t: TestApp;
let org: Org;
let targetUrl: string;
let postgresId: string;
let mariadbId: string;
let analyst: Caller & { id: string };
let reviewer: Caller & { id: string };
let dba: Caller & { id: string };
let { mutate, decide, execute } = {} as ReturnType<typeof workflow>;
let mariadb: mysql.Connection;
let mariadbDatabase: string;

const GROUP = 'id status members { id status error }';
const submitGroup = (members: { datasourceId: string; query: string }[], failureMode = 'STOP_ON_FAILURE', caller: Caller = analyst) =>
  mutate<Group>('submitRequestGroup',
    `mutation($input: SubmitRequestGroupInput!) { submitRequestGroup(input: $input) { __typename ... on MutationSubmitRequestGroupSuccess { data { ${GROUP} } } ... on Error { code message } } }`,
    { input: { name: 'release 42', justification: 'deploy', failureMode, members } }, caller);
const decideGroup = (groupId: string, decision: string, caller: Caller, comment?: string) =>
  mutate<Group>('decideRequestGroup',
    `mutation($input: DecideRequestGroupInput!) { decideRequestGroup(input: $input) { __typename ... on MutationDecideRequestGroupSuccess { data { ${GROUP} } } ... on Error { code message } } }`,
    { input: { requestGroupId: groupId, decision, comment } }, caller);
const executeGroup = (id: string, caller: Caller = analyst) =>
  mutate<Group>('executeRequestGroup',
    `mutation($id: ID!) { executeRequestGroup(id: $id) { __typename ... on MutationExecuteRequestGroupSuccess { data { ${GROUP} } } ... on Error { code message } } }`, { id }, caller);

beforeAll(async () => {
  t = await createTestApp();
  ({ mutate, decide, execute } = workflow(t, () => postgresId));
  org = await setupFirstOrg(t);
  targetUrl = await createPostgresDatabase(inject('postgresUrl'));
  await superuserQuery(targetUrl, 'create table accounts (id int primary key, balance int); insert into accounts values (1, 100), (2, 100)');
  const url = new URL(targetUrl);
  const upsert = async (input: Record<string, unknown>) =>
    (await mutate<{ id: string }>('upsertDatasource',
      `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename ... on MutationUpsertDatasourceSuccess { data { id } } ... on Error { message } } }`,
      { input }, org.admin)).data!.id;
  postgresId = await upsert({ name: 'ledger', dbType: 'POSTGRESQL', host: url.hostname, port: Number(url.port), databaseName: url.pathname.slice(1), username: 'postgres', password: 'unused-with-trust' });
  const server = new URL(inject('mariadbUrl'));
  mariadbDatabase = `groups_${randomBytes(4).toString('hex')}`;
  mariadb = await mysql.createConnection({ host: server.hostname, port: Number(server.port), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password), multipleStatements: true });
  await mariadb.query(`create database ${mariadbDatabase}; use ${mariadbDatabase}; create table events (id int primary key, kind varchar(20));`);
  analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'analyst@acme.test');
  reviewer = await createUserWithKey(t, org.admin, 'REVIEWER', 'reviewer@acme.test');
  dba = await createUserWithKey(t, org.admin, 'REVIEWER', 'dba@acme.test');
  // The MariaDB datasource's plan names only the DBA: the group needs both reviewers (union of approvers).
  const plan = await mutate<{ id: string }>('upsertReviewPlan',
    `mutation($input: UpsertReviewPlanInput!) { upsertReviewPlan(input: $input) { __typename ... on MutationUpsertReviewPlanSuccess { data { id } } } }`,
    { input: { name: 'dba only', approvers: [{ stage: 1, userId: dba.id }] } }, org.admin);
  mariadbId = await upsert({ name: 'events', dbType: 'MARIADB', host: server.hostname, port: Number(server.port), databaseName: mariadbDatabase, username: decodeURIComponent(server.username), password: decodeURIComponent(server.password), reviewPlanId: plan.data!.id });
  for (const datasourceId of [postgresId, mariadbId]) {
    await mutate('upsertGrant', 'mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }',
      { input: { datasourceId, userId: analyst.id, canRead: true, canWrite: true, allowedSchemas: ['public', mariadbDatabase] } }, org.admin);
  }
});
afterAll(async () => {
  await mariadb.query(`drop database ${mariadbDatabase}`);
  await mariadb.end();
  await t.close();
});

it('is approved only when every member is, by the union of their approvers, then runs in order across datasources', async () => {
  const group = (await submitGroup([
    { datasourceId: postgresId, query: 'update accounts set balance = balance - 10 where id = 1' },
    { datasourceId: mariadbId, query: "insert into events values (1, 'debit')" },
  ])).data!;
  expect(group.status).toBe('PENDING_REVIEW');
  expect(group.members.map((m) => m.status)).toEqual(['PENDING_REVIEW', 'PENDING_REVIEW']);
  // Members are decided and run with their group only.
  expect(await decide(group.members[0]!.id, 'APPROVE', reviewer)).toMatchObject({ __typename: 'Conflict' });
  const bySubmitter = await t.gql('mutation($id: ID!) { decideRequestGroup(input: { requestGroupId: $id, decision: APPROVE }) { __typename } }', { id: group.id }, analyst);
  expect(bySubmitter.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

  const afterReviewer = (await decideGroup(group.id, 'APPROVE', reviewer)).data!;
  expect(afterReviewer.status).toBe('PENDING_REVIEW');
  expect(afterReviewer.members.map((m) => m.status)).toEqual(['APPROVED', 'PENDING_REVIEW']);
  expect((await decideGroup(group.id, 'APPROVE', dba)).data!.status).toBe('APPROVED');
  expect(await execute(group.members[0]!.id, analyst)).toMatchObject({ __typename: 'Conflict' });

  const ran = (await executeGroup(group.id)).data!;
  expect(ran).toMatchObject({ status: 'EXECUTED', members: [{ status: 'EXECUTED' }, { status: 'EXECUTED' }] });
  expect(await superuserQuery(targetUrl, 'select balance from accounts where id = 1')).toEqual([{ balance: 90 }]);
  const [rows] = await mariadb.query(`select kind from ${mariadbDatabase}.events`);
  expect(rows).toEqual([{ kind: 'debit' }]);
  expect(await executeGroup(group.id)).toMatchObject({ __typename: 'Conflict' });
});

it('stops at the first failure and cancels the rest; continue-on-error runs them all and says PARTIALLY_EXECUTED', async () => {
  const members = [
    { datasourceId: postgresId, query: 'update accounts set balance = balance + 1 where id = 2' },
    { datasourceId: mariadbId, query: "insert into events values (1, 'duplicate key')" },
    { datasourceId: postgresId, query: 'update accounts set balance = balance + 1000 where id = 2' },
  ];
  const stop = (await submitGroup(members)).data!;
  await decideGroup(stop.id, 'APPROVE', reviewer);
  await decideGroup(stop.id, 'APPROVE', dba);
  const stopped = (await executeGroup(stop.id)).data!;
  expect(stopped.status).toBe('PARTIALLY_EXECUTED');
  expect(stopped.members.map((m) => m.status)).toEqual(['EXECUTED', 'FAILED', 'CANCELLED']);
  expect(stopped.members[1]!.error).toMatch(/Duplicate entry/);
  expect(await superuserQuery(targetUrl, 'select balance from accounts where id = 2')).toEqual([{ balance: 101 }]);

  const go = (await submitGroup(members, 'CONTINUE_ON_ERROR')).data!;
  await decideGroup(go.id, 'APPROVE', reviewer);
  await decideGroup(go.id, 'APPROVE', dba);
  const continued = (await executeGroup(go.id)).data!;
  expect(continued.status).toBe('PARTIALLY_EXECUTED');
  expect(continued.members.map((m) => m.status)).toEqual(['EXECUTED', 'FAILED', 'EXECUTED']);
  expect(await superuserQuery(targetUrl, 'select balance from accounts where id = 2')).toEqual([{ balance: 1102 }]);
});

it('ends with a single REJECT, cancelling the members still waiting', async () => {
  const group = (await submitGroup([
    { datasourceId: postgresId, query: 'delete from accounts where id = 1' },
    { datasourceId: mariadbId, query: 'delete from events where id = 1' },
  ])).data!;
  expect(await decideGroup(group.id, 'REJECT', reviewer)).toMatchObject({ __typename: 'ValidationError' });
  const rejected = (await decideGroup(group.id, 'REJECT', reviewer, 'not during the freeze')).data!;
  expect(rejected.status).toBe('REJECTED');
  expect(rejected.members.map((m) => m.status)).toEqual(['REJECTED', 'CANCELLED']);
  expect(await executeGroup(group.id)).toMatchObject({ __typename: 'Conflict' });
});

it('refuses a group with a member the submitter may not run, or too many members, writing nothing', async () => {
  const before = await rowCounts(t.databaseUrl!);
  expect(await submitGroup([
    { datasourceId: postgresId, query: 'update accounts set balance = 0 where id = 1' },
    { datasourceId: mariadbId, query: 'select * from mysql.user' },
  ])).toMatchObject({ __typename: 'Forbidden' });
  expect(await submitGroup([
    { datasourceId: postgresId, query: 'update accounts set balance = 0 where id = 1' },
    { datasourceId: postgresId, query: 'select 1; drop table accounts' },
  ])).toMatchObject({ __typename: 'QueryRejected' });
  expect(await submitGroup([])).toMatchObject({ __typename: 'ValidationError' });
  expect(await submitGroup(Array.from({ length: 21 }, () => ({ datasourceId: postgresId, query: 'select 1' })))).toMatchObject({ __typename: 'ValidationError' });
  expect(await rowCounts(t.databaseUrl!)).toEqual(before);
});

it('streams the group’s progress while it runs', async () => {
  const group = (await submitGroup([
    { datasourceId: postgresId, query: 'update accounts set balance = 5 where id = 1' },
    { datasourceId: mariadbId, query: "insert into events values (7, 'progress')" },
  ])).data!;
  await decideGroup(group.id, 'APPROVE', reviewer);
  await decideGroup(group.id, 'APPROVE', dba);
  const response = await t.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: analyst.authorization! },
    body: JSON.stringify({ query: 'subscription($id: ID!) { requestGroupUpdated(id: $id) { status members { status } } }', variables: { id: group.id } }),
  });
  const reader = response.body!.getReader();
  let stream = '';
  const reading = (async () => {
    while (!stream.includes('"status":"EXECUTED","members"')) {
      const { done, value } = await reader.read();
      if (done) return;
      stream += new TextDecoder().decode(value);
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 300));
  await executeGroup(group.id);
  await Promise.race([reading, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  await reader.cancel();
  expect(stream).toContain('"status":"EXECUTING"');
  expect(stream).toContain('"status":"EXECUTED","members"');
});

it('ends the group when a member times out in review: REJECTED, the other members cancelled', async () => {
  const group = (await submitGroup([
    { datasourceId: postgresId, query: 'update accounts set balance = 1 where id = 1' },
    { datasourceId: mariadbId, query: "insert into events values (9, 'late')" },
  ])).data!;
  await decideGroup(group.id, 'APPROVE', reviewer);
  const sweeps = await Promise.all([
    t.app.services.queryRequests.processDue(new Date(Date.now() + 25 * 3_600_000)),
    t.app.services.queryRequests.processDue(new Date(Date.now() + 25 * 3_600_000)),
  ]);
  expect(sweeps[0]!.timedOut + sweeps[1]!.timedOut).toBe(1);
  const read = await t.gql<{ requestGroup: Group }>(`query($id: ID!) { requestGroup(id: $id) { ${GROUP} } }`, { id: group.id }, analyst);
  expect(read.data!.requestGroup).toMatchObject({ status: 'REJECTED', members: [{ status: 'CANCELLED' }, { status: 'TIMED_OUT' }] });
  const [cancelled] = await superuserQuery<{ n: number }>(t.databaseUrl!, "select count(*)::int as n from audit_events where target_id = $1 and action = 'QUERY_CANCELLED'", [group.members[0]!.id]);
  expect(cancelled!.n).toBe(1);
});
