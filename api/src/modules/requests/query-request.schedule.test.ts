/**
 * Scheduled runs and approval timeouts (FEATURES C6): due work is found in the store and claimed row by row, so
 * it happens once however many sweeps run. The sweeps are called with a clock moved forward instead of waiting.
 */
import { inject, afterAll, beforeAll, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../../test/servers.ts';
import { createTestApp, createUserWithKey, ok, setupFirstOrg, superuserQuery, type Caller, type Org, type TestApp } from '../../../test/harness.ts';
import { workflow } from './requests.fixture.ts';

const HOUR = 3_600_000;

let t: TestApp;
let org: Org;
let targetUrl: string;
let datasourceId: string;
let analyst: Caller & { id: string };
let reviewer: Caller & { id: string };
let { submit, decide, execute, cancel, mutate } = {} as ReturnType<typeof workflow>;

const later = (ms: number) => new Date(Date.now() + ms);
const processDue = (now: Date) => t.app.services.queryRequests.processDue(now);

async function status(id: string): Promise<{ status: string; error: string | null; rowsAffected: number | null }> {
  const data = ok(await t.gql<{ queryRequest: { status: string; error: string | null; rowsAffected: number | null } }>(
    'query($id: ID!) { queryRequest(id: $id) { status error rowsAffected } }', { id }, analyst));
  return data.queryRequest;
}

async function auditActions(requestId: string): Promise<{ action: string; actorType: string }[]> {
  const rows = await superuserQuery<{ action: string; actor_type: string }>(
    t.databaseUrl!, 'select action, actor_type from audit_events where target_id = $1 order by seq', [requestId]);
  return rows.map((r) => ({ action: r.action, actorType: r.actor_type }));
}

async function grant(canWrite: boolean) {
  await mutate('upsertGrant', `mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }`,
    { input: { datasourceId, userId: analyst.id, canRead: true, canWrite } }, org.admin);
}

/** A reviewed, approved INSERT scheduled an hour from now. */
async function approvedScheduledInsert(value: number): Promise<string> {
  const submitted = await submit(`insert into log values (${value})`, analyst, { scheduledFor: later(HOUR).toISOString() });
  expect(submitted.data, submitted.message).toMatchObject({ status: 'PENDING_REVIEW' });
  expect((await decide(submitted.data!.id, 'APPROVE', reviewer)).data).toMatchObject({ status: 'APPROVED' });
  return submitted.data!.id;
}

beforeAll(async () => {
  t = await createTestApp();
  ({ submit, decide, execute, cancel, mutate } = workflow(t, () => datasourceId));
  org = await setupFirstOrg(t);
  targetUrl = await createPostgresDatabase(inject('postgresUrl'));
  await superuserQuery(targetUrl, 'create table log (value int)');
  const url = new URL(targetUrl);
  const created = await mutate<{ id: string }>(
    'upsertDatasource',
    `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename ... on MutationUpsertDatasourceSuccess { data { id } } } }`,
    { input: { name: 'ops', dbType: 'POSTGRESQL', host: url.hostname, port: Number(url.port), databaseName: url.pathname.slice(1), username: 'postgres', password: 'unused-with-trust' } },
    org.admin,
  );
  datasourceId = created.data!.id;
  analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'analyst@acme.test');
  reviewer = await createUserWithKey(t, org.admin, 'REVIEWER', 'reviewer@acme.test');
  await grant(true);
});
afterAll(() => t.close());

it('refuses a schedule in the past', async () => {
  expect(await submit('insert into log values (0)', analyst, { scheduledFor: later(-1000).toISOString() })).toMatchObject({ __typename: 'ValidationError' });
});

it('keeps an approved scheduled request waiting, then runs it once when due, as the system', async () => {
  const id = await approvedScheduledInsert(1);
  expect(await execute(id, analyst)).toMatchObject({ __typename: 'Conflict' });
  expect((await processDue(later(HOUR / 2))).started).toBe(0);

  // Several sweeps at once (replicas): exactly one of them runs it.
  const sweeps = await Promise.all([processDue(later(2 * HOUR)), processDue(later(2 * HOUR)), processDue(later(2 * HOUR))]);
  expect(sweeps.reduce((sum, s) => sum + s.started, 0)).toBe(1);
  expect(await status(id)).toMatchObject({ status: 'EXECUTED', rowsAffected: 1 });
  expect(await superuserQuery(targetUrl, 'select value from log where value = 1')).toEqual([{ value: 1 }]);
  expect((await processDue(later(3 * HOUR))).started).toBe(0);
  const actions = await auditActions(id);
  expect(actions.filter((a) => a.action === 'QUERY_EXECUTED')).toEqual([{ action: 'QUERY_EXECUTED', actorType: 'SYSTEM' }]);
});

it('says when the next scheduled run is due', async () => {
  const id = await approvedScheduledInsert(2);
  const due = await processDue(new Date());
  expect(due.nextDueAt).not.toBeNull();
  expect(due.nextDueAt!.getTime()).toBeLessThanOrEqual(Date.now() + HOUR);
  await cancel(id, analyst);
});

it('lets the submitter cancel before it fires; the sweep then leaves it alone', async () => {
  const id = await approvedScheduledInsert(3);
  expect((await cancel(id, analyst)).data).toMatchObject({ status: 'CANCELLED' });
  expect((await processDue(later(2 * HOUR))).started).toBe(0);
  expect(await superuserQuery(targetUrl, 'select value from log where value = 3')).toEqual([]);
});

it('fails a scheduled run the submitter’s grants no longer admit, and an execute is refused likewise', async () => {
  const scheduled = await approvedScheduledInsert(4);
  const manual = (await submit('insert into log values (5)', analyst)).data!;
  await decide(manual.id, 'APPROVE', reviewer);
  await grant(false);
  try {
    expect(await execute(manual.id, analyst)).toMatchObject({ __typename: 'Forbidden' });
    expect((await status(manual.id)).status).toBe('APPROVED');
    await processDue(later(2 * HOUR));
    const failed = await status(scheduled);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatch(/scheduled run was refused: your grants .* do not allow writes/);
    expect(await superuserQuery(targetUrl, 'select value from log where value in (4, 5)')).toEqual([]);
  } finally {
    await grant(true);
  }
});

it('times out a review left undecided past the plan’s approval timeout (24 h on the default plan)', async () => {
  const pending = (await submit('insert into log values (6)', analyst)).data!;
  expect((await processDue(later(23 * HOUR))).timedOut).toBe(0);
  const [first, second] = await Promise.all([processDue(later(25 * HOUR)), processDue(later(25 * HOUR))]);
  expect(first!.timedOut + second!.timedOut).toBe(1);
  expect((await status(pending.id)).status).toBe('TIMED_OUT');
  const read = await t.gql<{ queryRequest: { decisionReason: string } }>('query($id: ID!) { queryRequest(id: $id) { decisionReason } }', { id: pending.id }, analyst);
  expect(read.data!.queryRequest.decisionReason).toBe('no decision within 24 h');
  expect(await decide(pending.id, 'APPROVE', reviewer)).toMatchObject({ __typename: 'Conflict' });
  expect((await auditActions(pending.id)).at(-1)).toEqual({ action: 'QUERY_TIMED_OUT', actorType: 'SYSTEM' });
});
