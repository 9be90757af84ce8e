/**
 * Review bound to the statement (an approval is for one exact text; a revision after REQUEST_CHANGES starts a
 * fresh review) and bulk decisions from the review queue — against a real PostgreSQL target.
 */
import { inject, afterAll, beforeAll, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../../test/servers.ts';
import { createTestApp, createUserWithKey, ok, rowCounts, setupFirstOrg, superuserQuery, type Caller, type Org, type TestApp } from '../../../test/harness.ts';
import { REQUEST_FIELDS, workflow, type Request } from './requests.fixture.ts';

let t: TestApp;
let org: Org;
let targetUrl: string;
let datasourceId: string;
let analyst: Caller & { id: string };
let reviewer: Caller & { id: string };
let secondReviewer: Caller & { id: string };
let { submit, decide, execute, mutate } = {} as ReturnType<typeof workflow>;

const revise = (requestId: string, query: string, caller: Caller) =>
  mutate<Request & { sqlHash: string }>(
    'reviseQueryRequest',
    `mutation($input: ReviseQueryRequestInput!) { reviseQueryRequest(input: $input) { __typename
      ... on MutationReviseQueryRequestSuccess { data { ${REQUEST_FIELDS} sqlHash } } ... on Error { code message } ... on QueryRejected { reason } } }`,
    { input: { requestId, query } },
    caller,
  );

interface BulkOutcome {
  requestId: string;
  request: { id: string; status: string } | null;
  error: { code: string; message: string } | null;
}

const decideMany = (requestIds: string[], decision: string, caller: Caller, comment?: string) =>
  mutate<BulkOutcome[]>(
    'decideQueryRequests',
    `mutation($input: DecideQueryRequestsInput!) { decideQueryRequests(input: $input) { __typename
      ... on MutationDecideQueryRequestsSuccess { data { requestId request { id status } error { code message } } } ... on Error { code message } } }`,
    { input: { requestIds, decision, comment } },
    caller,
  );

async function sqlHashOf(id: string): Promise<string> {
  return ok(await t.gql<{ queryRequest: { sqlHash: string } }>('query($id: ID!) { queryRequest(id: $id) { sqlHash } }', { id }, analyst)).queryRequest.sqlHash;
}

beforeAll(async () => {
  t = await createTestApp();
  ({ submit, decide, execute, mutate } = workflow(t, () => datasourceId));
  org = await setupFirstOrg(t);
  targetUrl = await createPostgresDatabase(inject('postgresUrl'));
  await superuserQuery(targetUrl, "create table accounts (id int primary key, tier text); insert into accounts select i, 'basic' from generate_series(1, 10) i");
  const url = new URL(targetUrl);
  const created = await mutate<{ id: string }>(
    'upsertDatasource',
    `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename ... on MutationUpsertDatasourceSuccess { data { id } } } }`,
    { input: { name: 'billing', dbType: 'POSTGRESQL', host: url.hostname, port: Number(url.port), databaseName: url.pathname.slice(1), username: 'postgres', password: 'unused-with-trust' } },
    org.admin,
  );
  datasourceId = created.data!.id;
  analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'analyst@acme.test');
  reviewer = await createUserWithKey(t, org.admin, 'REVIEWER', 'reviewer@acme.test');
  secondReviewer = await createUserWithKey(t, org.admin, 'REVIEWER', 'reviewer2@acme.test');
  await mutate('upsertGrant', `mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }`,
    { input: { datasourceId, userId: analyst.id, canRead: true, canWrite: true, allowedSchemas: ['public'] } }, org.admin);
});
afterAll(() => t.close());

it('starts a fresh review when the submitter revises after REQUEST_CHANGES; old approvals do not count', async () => {
  const submitted = (await submit("update accounts set tier = 'gold'", analyst)).data!;
  const firstHash = await sqlHashOf(submitted.id);
  expect((await decide(submitted.id, 'REQUEST_CHANGES', reviewer, 'add a WHERE')).data).toMatchObject({ status: 'CHANGES_REQUESTED' });

  const revised = await revise(submitted.id, "update accounts set tier = 'gold' where id = 3", analyst);
  expect(revised.data).toMatchObject({ status: 'PENDING_REVIEW', queryType: 'UPDATE' });
  expect(revised.data!.sqlHash).not.toBe(firstHash);
  // The reviewer who asked for changes decides the new text; their earlier decision was about the old one.
  const approved = await decide(submitted.id, 'APPROVE', reviewer);
  expect(approved.data).toMatchObject({ status: 'APPROVED' });
  expect(approved.data!.decisions.map((d) => d.decision)).toEqual(['REQUEST_CHANGES', 'APPROVE']);
  expect((await execute(submitted.id, analyst)).data).toMatchObject({ status: 'EXECUTED', rowsAffected: 1 });
  expect(await superuserQuery(targetUrl, "select id from accounts where tier = 'gold'")).toEqual([{ id: 3 }]);
});

it('refuses a decision on a text that changed since the reviewer read it', async () => {
  const submitted = (await submit("update accounts set tier = 'silver' where id = 4", analyst)).data!;
  const readHash = await sqlHashOf(submitted.id);
  await decide(submitted.id, 'REQUEST_CHANGES', reviewer, 'use id 5');
  await revise(submitted.id, "update accounts set tier = 'silver' where id = 5", analyst);
  const stale = await mutate('decideQueryRequest',
    `mutation($input: DecideQueryRequestInput!) { decideQueryRequest(input: $input) { __typename ... on Error { code message } } }`,
    { input: { requestId: submitted.id, decision: 'APPROVE', sqlHash: readHash } }, secondReviewer);
  expect(stale).toMatchObject({ __typename: 'Conflict' });
  expect(stale.message).toMatch(/changed since you read it/);
  const fresh = await mutate<Request>('decideQueryRequest',
    `mutation($input: DecideQueryRequestInput!) { decideQueryRequest(input: $input) { __typename ... on MutationDecideQueryRequestSuccess { data { status } } } }`,
    { input: { requestId: submitted.id, decision: 'APPROVE', sqlHash: await sqlHashOf(submitted.id) } }, secondReviewer);
  expect(fresh.data).toMatchObject({ status: 'APPROVED' });
});

it('lets only the submitter revise, only after REQUEST_CHANGES, and judges the new text like a submission', async () => {
  const pending = (await submit("update accounts set tier = 'x' where id = 6", analyst)).data!;
  expect(await revise(pending.id, "update accounts set tier = 'y' where id = 6", analyst)).toMatchObject({ __typename: 'Conflict' });
  await decide(pending.id, 'REQUEST_CHANGES', reviewer, 'no');
  const before = await rowCounts(t.databaseUrl!);
  expect(await revise(pending.id, "update accounts set tier = 'y' where id = 6", reviewer)).toMatchObject({ __typename: 'Forbidden' });
  expect(await revise(pending.id, 'update accounts set tier = 1; drop table accounts', analyst)).toMatchObject({ __typename: 'QueryRejected', reason: 'MULTIPLE_STATEMENTS' });
  expect(await revise(pending.id, 'select * from pg_catalog.pg_authid', analyst)).toMatchObject({ __typename: 'Forbidden' });
  expect(await rowCounts(t.databaseUrl!)).toEqual(before);
});

it('decides many requests at once, each on its own: one it may not decide does not stop the others', async () => {
  const a = (await submit("update accounts set tier = 'a' where id = 7", analyst)).data!;
  const b = (await submit("update accounts set tier = 'b' where id = 8", analyst)).data!;
  const decided = (await submit("update accounts set tier = 'c' where id = 9", analyst)).data!;
  await decide(decided.id, 'REJECT', reviewer, 'no');
  const outcomes = (await decideMany([a.id, b.id, decided.id], 'APPROVE', reviewer)).data!;
  expect(outcomes.map((o) => [o.requestId, o.request?.status ?? o.error?.code])).toEqual([
    [a.id, 'APPROVED'],
    [b.id, 'APPROVED'],
    [decided.id, 'CONFLICT'],
  ]);
});

it('binds each bulk decision to the text the reviewer read when sqlHashes are given', async () => {
  const first = (await submit("update accounts set tier = 'e' where id = 1", analyst)).data!;
  const second = (await submit("update accounts set tier = 'f' where id = 2", analyst)).data!;
  const read = [await sqlHashOf(first.id), await sqlHashOf(second.id)];
  await decide(second.id, 'REQUEST_CHANGES', secondReviewer, 'narrow');
  await revise(second.id, "update accounts set tier = 'f' where id = 2 and tier = 'basic'", analyst);
  const outcomes = (await mutate<BulkOutcome[]>('decideQueryRequests',
    `mutation($input: DecideQueryRequestsInput!) { decideQueryRequests(input: $input) { __typename ... on MutationDecideQueryRequestsSuccess { data { requestId request { id status } error { code message } } } ... on Error { code message } } }`,
    { input: { requestIds: [first.id, second.id], sqlHashes: read, decision: 'APPROVE' } }, reviewer)).data!;
  expect(outcomes.map((o) => o.request?.status ?? o.error?.code)).toEqual(['APPROVED', 'CONFLICT']);
  expect(await mutate('decideQueryRequests', 'mutation($input: DecideQueryRequestsInput!) { decideQueryRequests(input: $input) { __typename ... on Error { code } } }',
    { input: { requestIds: [first.id, second.id], sqlHashes: [read[0]], decision: 'APPROVE' } }, reviewer)).toMatchObject({ __typename: 'ValidationError' });
});

it('refuses a bulk REJECT without a comment, an empty list, and a submitter without review rights, changing nothing', async () => {
  const pending = (await submit("update accounts set tier = 'd' where id = 10", analyst)).data!;
  const before = await rowCounts(t.databaseUrl!);
  expect(await decideMany([pending.id], 'REJECT', reviewer)).toMatchObject({ __typename: 'ValidationError' });
  expect(await decideMany([], 'APPROVE', reviewer)).toMatchObject({ __typename: 'ValidationError' });
  expect(await rowCounts(t.databaseUrl!)).toEqual(before);
  const bySubmitter = await t.gql('mutation($ids: [ID!]!) { decideQueryRequests(input: { requestIds: $ids, decision: APPROVE }) { __typename } }', { ids: [pending.id] }, analyst);
  expect(bySubmitter.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const byReviewer = (await decideMany([pending.id], 'APPROVE', reviewer)).data!;
  expect(byReviewer[0]!.request).toMatchObject({ status: 'APPROVED' });
});

it('finds the previous run of the same statement however it is written, and shows what changed since', async () => {
  const first = (await submit('select id, tier from accounts where id <= 3 order by id', analyst, { execute: true })).data!;
  expect(first.status).toBe('EXECUTED');
  await superuserQuery(targetUrl, "update accounts set tier = 'platinum' where id = 2");
  const again = (await submit('SELECT id,tier\n  FROM accounts -- same statement\n WHERE id <= 3 ORDER BY id', analyst, { execute: true })).data!;
  const read = ok(await t.gql<{ queryRequest: { previousRun: { id: string } | null; resultDiff: Record<string, unknown> | null } }>(
    'query($id: ID!) { queryRequest(id: $id) { previousRun { id } resultDiff { comparable added removed addedCount removedCount unchangedCount partial } } }',
    { id: again.id }, analyst));
  expect(read.queryRequest.previousRun).toEqual({ id: first.id });
  expect(read.queryRequest.resultDiff).toEqual({
    comparable: true,
    added: [[2, 'platinum']],
    removed: [[2, 'basic']],
    addedCount: 1,
    removedCount: 1,
    unchangedCount: 2,
    partial: false,
  });
  // A different literal is a different statement.
  const other = (await submit('select id, tier from accounts where id <= 4 order by id', analyst, { execute: true })).data!;
  const none = ok(await t.gql<{ queryRequest: { previousRun: unknown } }>('query($id: ID!) { queryRequest(id: $id) { previousRun { id } } }', { id: other.id }, analyst));
  expect(none.queryRequest.previousRun).toBeNull();
});

it('reviews a text that comes back after two revisions afresh: decisions belong to one revision', async () => {
  const a = "update accounts set tier = 'a' where id = 10";
  const submitted = (await submit(a, analyst)).data!;
  await decide(submitted.id, 'REQUEST_CHANGES', reviewer, 'try b');
  await revise(submitted.id, "update accounts set tier = 'b' where id = 10", analyst);
  await decide(submitted.id, 'REQUEST_CHANGES', reviewer, 'back to a');
  const back = (await revise(submitted.id, a, analyst)).data!;
  expect(back.status).toBe('PENDING_REVIEW');
  const read = ok(await t.gql<{ queryRequest: { revision: number; decisions: { revision: number; decision: string }[] } }>(
    'query($id: ID!) { queryRequest(id: $id) { revision decisions { revision decision } } }', { id: submitted.id }, analyst));
  expect(read.queryRequest).toEqual({ revision: 3, decisions: [{ revision: 1, decision: 'REQUEST_CHANGES' }, { revision: 2, decision: 'REQUEST_CHANGES' }] });
  // The reviewer who sent it back at revision 1 decides revision 3.
  expect((await decide(submitted.id, 'APPROVE', reviewer)).data).toMatchObject({ status: 'APPROVED' });
});
