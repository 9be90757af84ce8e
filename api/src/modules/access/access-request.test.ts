/**
 * Just-in-time access (FEATURES C10) against a real PostgreSQL target: request, stage-by-stage approval with
 * admins as the backstop, access that works at once and ends by itself, early revoke, and the bad input.
 */
import { inject, afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createPostgresDatabase } from '../../../test/servers.ts';
import { createOrg, createTestApp, createUserWithKey, ok, rowCounts, setupFirstOrg, superuserQuery, type Caller, type Org, type TestApp } from '../../../test/harness.ts';
import { postgresDatasource, workflow } from '../requests/requests.fixture.ts';

interface Access {
  id: string;
  status: string;
  currentStage: number;
  expiresAt: string | null;
}

let t: TestApp;
let org: Org;
let datasourceId: string;
let targetUrl: string;
let analyst: Caller & { id: string };
let reviewer: Caller & { id: string };
let finance: Caller & { id: string };
let { submit, mutate, createDatasource } = {} as ReturnType<typeof workflow>;

const FIELDS = 'id status currentStage expiresAt';
const requestAccess = (input: Record<string, unknown>, caller: Caller = analyst) =>
  mutate<Access>('requestAccess',
    `mutation($input: RequestAccessInput!) { requestAccess(input: $input) { __typename ... on MutationRequestAccessSuccess { data { ${FIELDS} } } ... on Error { code message } } }`,
    { input: { datasourceId, canRead: true, durationMinutes: 60, justification: 'investigating ticket 77', ...input } }, caller);
const decideAccess = (requestId: string, decision: string, caller: Caller, comment?: string) =>
  mutate<Access>('decideAccessRequest',
    `mutation($input: DecideAccessRequestInput!) { decideAccessRequest(input: $input) { __typename ... on MutationDecideAccessRequestSuccess { data { ${FIELDS} } } ... on Error { code message } } }`,
    { input: { requestId, decision, comment } }, caller);
const revoke = (id: string, caller: Caller) =>
  mutate<Access>('revokeAccessRequest',
    `mutation($input: RevokeAccessRequestInput!) { revokeAccessRequest(input: $input) { __typename ... on MutationRevokeAccessRequestSuccess { data { ${FIELDS} } } ... on Error { code message } } }`,
    { input: { id, reason: 'incident closed' } }, caller);
const cancel = (id: string, caller: Caller) =>
  mutate<Access>('cancelAccessRequest', `mutation($id: ID!) { cancelAccessRequest(id: $id) { __typename ... on MutationCancelAccessRequestSuccess { data { ${FIELDS} } } ... on Error { code message } } }`, { id }, caller);
const read = (caller: Caller = analyst) => submit('select id, email from customers where id = 1', caller, { execute: true });

beforeAll(async () => {
  t = await createTestApp();
  ({ submit, mutate, createDatasource } = workflow(t, () => datasourceId));
  org = await setupFirstOrg(t);
  targetUrl = await createPostgresDatabase(inject('postgresUrl'));
  await superuserQuery(targetUrl, "create table customers (id int primary key, email text); insert into customers values (1, 'ann@example.com'), (2, 'bo@example.com')");
  datasourceId = await createDatasource(postgresDatasource(targetUrl, { name: 'crm' }), org.admin);
  analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'analyst@acme.test');
  reviewer = await createUserWithKey(t, org.admin, 'REVIEWER', 'reviewer@acme.test');
  finance = await createUserWithKey(t, org.admin, 'REVIEWER', 'finance@acme.test');
});
afterAll(() => t.close());

it('grants read access for the approved window: refused before, works after approval, ends by itself', async () => {
  expect(await read()).toMatchObject({ __typename: 'Forbidden' });
  const requested = (await requestAccess({})).data!;
  expect(requested.status).toBe('PENDING');
  expect(await read()).toMatchObject({ __typename: 'Forbidden' });

  const approved = (await decideAccess(requested.id, 'APPROVE', reviewer)).data!;
  expect(approved.status).toBe('APPROVED');
  const minutes = (new Date(approved.expiresAt!).getTime() - Date.now()) / 60_000;
  expect(minutes).toBeGreaterThan(58);
  expect(minutes).toBeLessThanOrEqual(60);
  expect((await read()).data).toMatchObject({ status: 'EXECUTED' });

  // Past its time the access ends where it is checked, before any job has run (also for a replica that holds
  // the grant in its admission cache: the clock moves past the expiry, nothing else changes) …
  await superuserQuery(t.databaseUrl!, "update access_requests set expires_at = now() - interval '1 second' where id = $1", [requested.id]);
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    vi.setSystemTime(new Date(approved.expiresAt!).getTime() + 1_000);
    expect(await read()).toMatchObject({ __typename: 'Forbidden' });
  } finally {
    vi.useRealTimers();
  }
  // … and the job records it, once, however many replicas run it.
  const runs = await Promise.all([t.app.services.accessRequests.expireDue(), t.app.services.accessRequests.expireDue()]);
  expect(runs[0]!.expired + runs[1]!.expired).toBe(1);
  const [row] = await superuserQuery<{ status: string }>(t.databaseUrl!, 'select status from access_requests where id = $1', [requested.id]);
  expect(row!.status).toBe('EXPIRED');
  const [event] = await superuserQuery<{ n: number }>(t.databaseUrl!, "select count(*)::int as n from audit_events where target_id = $1 and action = 'ACCESS_EXPIRED'", [requested.id]);
  expect(event!.n).toBe(1);
});

it('lets an admin revoke active access early; a reviewer may not; a second revoke is a conflict', async () => {
  const requested = (await requestAccess({})).data!;
  await decideAccess(requested.id, 'APPROVE', reviewer);
  expect((await read()).data).toMatchObject({ status: 'EXECUTED' });
  expect((await t.gql('mutation($id: ID!) { revokeAccessRequest(input: { id: $id }) { __typename } }', { id: requested.id }, reviewer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect((await revoke(requested.id, org.admin)).data).toMatchObject({ status: 'REVOKED' });
  expect(await read()).toMatchObject({ __typename: 'Forbidden' });
  expect(await revoke(requested.id, org.admin)).toMatchObject({ __typename: 'Conflict' });
});

it('reviews stage by stage as the plan says, with admins as the backstop and nobody deciding their own', async () => {
  const plan = await mutate<{ id: string }>('upsertReviewPlan',
    `mutation($input: UpsertReviewPlanInput!) { upsertReviewPlan(input: $input) { __typename ... on MutationUpsertReviewPlanSuccess { data { id } } ... on Error { message } } }`,
    { input: { name: 'two stages', approvers: [{ stage: 1, userId: reviewer.id }, { stage: 2, userId: finance.id }] } }, org.admin);
  const staged = await createDatasource(postgresDatasource(targetUrl, { name: 'crm-staged', reviewPlanId: plan.data!.id }), org.admin);
  const requested = (await requestAccess({ datasourceId: staged, canWrite: true })).data!;
  expect(await decideAccess(requested.id, 'APPROVE', finance)).toMatchObject({ __typename: 'Forbidden' });
  expect((await decideAccess(requested.id, 'APPROVE', reviewer)).data).toMatchObject({ status: 'PENDING', currentStage: 2 });
  expect((await decideAccess(requested.id, 'APPROVE', org.admin)).data).toMatchObject({ status: 'APPROVED' });

  const own = (await requestAccess({ datasourceId: staged }, reviewer)).data!;
  expect(await decideAccess(own.id, 'APPROVE', reviewer)).toMatchObject({ __typename: 'Forbidden', message: 'nobody approves their own access request' });
  expect(await decideAccess(own.id, 'REJECT', org.admin)).toMatchObject({ __typename: 'ValidationError' });
  expect((await decideAccess(own.id, 'REJECT', org.admin, 'not needed')).data).toMatchObject({ status: 'REJECTED' });
});

it('never lifts a column restriction or the row cap of the requester’s standing grant', async () => {
  const masked = await createUserWithKey(t, org.admin, 'ANALYST', 'masked@acme.test');
  await mutate('upsertGrant', 'mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }',
    { input: { datasourceId, userId: masked.id, canRead: false, restrictedColumns: ['customers.email'], maxRows: 1 } }, org.admin);
  const requested = (await requestAccess({}, masked)).data!;
  await decideAccess(requested.id, 'APPROVE', reviewer);
  expect((await read(masked)).data!.result!.rows).toEqual([[1, '***']]);
  // Nor its row cap.
  const all = (await submit('select id from customers', masked, { execute: true })).data!;
  expect(all.result).toMatchObject({ rowCount: 1, truncated: true });
});

it('lets the requester cancel while pending, and nobody else', async () => {
  const requested = (await requestAccess({})).data!;
  expect(await cancel(requested.id, finance)).toMatchObject({ __typename: 'Forbidden' });
  expect((await cancel(requested.id, analyst)).data).toMatchObject({ status: 'CANCELLED' });
  expect(await decideAccess(requested.id, 'APPROVE', reviewer)).toMatchObject({ __typename: 'Conflict' });
});

it('refuses a duration outside 15 minutes … 30 days, no capability, and another organization’s datasource, writing nothing', async () => {
  const other = await createOrg(t, org.admin, 'Other', 'admin@other.test');
  const before = await rowCounts(t.databaseUrl!);
  expect(await requestAccess({ durationMinutes: 14 })).toMatchObject({ __typename: 'ValidationError' });
  expect(await requestAccess({ durationMinutes: 30 * 24 * 60 + 1 })).toMatchObject({ __typename: 'ValidationError' });
  expect(await requestAccess({ canRead: false })).toMatchObject({ __typename: 'ValidationError' });
  expect(await requestAccess({ justification: '   ' })).toMatchObject({ __typename: 'ValidationError' });
  expect(await requestAccess({}, other.admin)).toMatchObject({ __typename: 'NotFound' });
  expect(await rowCounts(t.databaseUrl!)).toEqual(before);
  const listed = ok(await t.gql<{ accessRequests: { edges: unknown[] } }>('{ accessRequests { edges { node { id } } } }', undefined, other.admin));
  expect(listed.accessRequests.edges).toEqual([]);
});
