/**
 * The admission cache and the fast path of auto-approved reads: configuration changes move the organization's
 * configuration version on (queries do not), a cached judgement is recorded only while that version holds, and a
 * change that commits while a fast read is running sends it down the ordinary path, which judges it afresh.
 */
import { inject, afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createPostgresDatabase } from '../../../test/servers.ts';
import { createTestApp, createUserWithKey, ok, setupFirstOrg, superuserQuery, type Caller, type Org, type TestApp } from '../../../test/harness.ts';
import { AuditService } from '../audit/audit.service.ts';
import { postgresDatasource, workflow } from './requests.fixture.ts';

let t: TestApp;
let org: Org;
let datasourceId: string;
let analyst: Caller & { id: string };
let grantId: string;
let { submit, createDatasource, mutate } = {} as ReturnType<typeof workflow>;

const READ = 'select id, name, email from customers where id = 1';

beforeAll(async () => {
  t = await createTestApp();
  ({ submit, createDatasource, mutate } = workflow(t, () => datasourceId));
  org = await setupFirstOrg(t);
  const targetUrl = await createPostgresDatabase(inject('postgresUrl'));
  await superuserQuery(targetUrl, "create table customers (id int primary key, name text, email text); insert into customers values (1, 'Ada', 'ada@example.com')");
  datasourceId = await createDatasource(postgresDatasource(targetUrl, { name: 'crm' }), org.admin);
  analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'analyst@acme.test');
  grantId = (await upsertGrant({ canRead: true })).id;
});
afterAll(() => t.close());

async function upsertGrant(fields: Record<string, unknown>): Promise<{ id: string }> {
  const result = await mutate<{ id: string }>('upsertGrant',
    `mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename ... on MutationUpsertGrantSuccess { data { id } } ... on Error { message } } }`,
    { input: { datasourceId, userId: analyst.id, ...fields } }, org.admin);
  return result.data!;
}

function deleteGrant() {
  return mutate('deleteGrant', 'mutation($id: ID!) { deleteGrant(id: $id) { __typename ... on Error { message } } }', { id: grantId }, org.admin);
}

async function maskColumn(columnRef: string): Promise<void> {
  const result = await mutate('upsertMaskingPolicy',
    `mutation($input: UpsertMaskingPolicyInput!) { upsertMaskingPolicy(input: $input) { __typename ... on Error { message } } }`,
    { input: { datasourceId, columnRef, strategy: 'FULL' } }, org.admin);
  expect(result.__typename).toBe('MutationUpsertMaskingPolicySuccess');
}

async function configVersion(): Promise<number> {
  const [row] = await superuserQuery<{ v: string }>(t.databaseUrl!, 'select config_version::text as v from organizations where id = $1', [org.orgId]);
  return Number(row!.v);
}

async function actionsOf(requestId: string): Promise<string[]> {
  const rows = await superuserQuery<{ action: string }>(t.databaseUrl!, 'select action from audit_events where target_id = $1 order by seq', [requestId]);
  return rows.map((r) => r.action);
}

it('moves the configuration version on with each configuration change, and never with a query', async () => {
  const before = await configVersion();
  expect((await submit(READ, analyst, { execute: true })).data).toMatchObject({ status: 'EXECUTED' });
  expect(await configVersion()).toBe(before);
  await maskColumn('public.customers.email');
  expect(await configVersion()).toBe(before + 1);
});

it('records a repeated read in one transaction after running it, with the same audit trail as the ordinary path', async () => {
  const service = t.app.services.queryRequests;
  const ordinary = vi.spyOn(service, 'createInTransaction');
  try {
    const first = (await submit(READ, analyst, { execute: true })).data!;
    const second = (await submit(READ, analyst, { execute: true })).data!;
    expect(ordinary).toHaveBeenCalledTimes(1);
    for (const request of [first, second]) {
      expect(request).toMatchObject({ status: 'EXECUTED', result: { rows: [[1, 'Ada', '***']] } });
      expect(await actionsOf(request.id)).toEqual(['QUERY_SUBMITTED', 'QUERY_ANALYZED', 'QUERY_APPROVED', 'QUERY_EXECUTION_STARTED', 'QUERY_EXECUTED']);
    }
    const [verified] = await superuserQuery<{ n: number }>(t.databaseUrl!, "select count(*)::int as n from query_requests where id = $1 and status = 'EXECUTED'", [second.id]);
    expect(verified!.n).toBe(1);
  } finally {
    ordinary.mockRestore();
  }
  const chain = ok(await t.gql<{ verifyAuditChain: { ok: boolean } }>('query { verifyAuditChain { ok } }', {}, org.admin));
  expect(chain.verifyAuditChain.ok).toBe(true);
});

it('applies configuration changes made after the judgement was cached: a new masking policy, a removed grant', async () => {
  expect((await submit(READ, analyst, { execute: true })).data).toMatchObject({ status: 'EXECUTED' });
  await maskColumn('public.customers.name');
  expect((await submit(READ, analyst, { execute: true })).data).toMatchObject({ result: { rows: [[1, '***', '***']] } });
  expect((await deleteGrant()).__typename).toBe('MutationDeleteGrantSuccess');
  expect(await submit(READ, analyst, { execute: true })).toMatchObject({ __typename: 'Forbidden' });
  grantId = (await upsertGrant({ canRead: true })).id;
  expect((await submit(READ, analyst, { execute: true })).data).toMatchObject({ status: 'EXECUTED' });
});

it('runs nothing before the record when a clientRequestId may name an earlier request, or a daily quota must be counted', async () => {
  const service = t.app.services.queryRequests as unknown as { runOnEngine: (...args: unknown[]) => Promise<unknown> };
  const runs = vi.spyOn(service, 'runOnEngine');
  try {
    const first = (await submit(READ, analyst, { execute: true, clientRequestId: 'report-1' })).data!;
    const again = (await submit(READ, analyst, { execute: true, clientRequestId: 'report-1' })).data!;
    expect(again.id).toBe(first.id);
    expect(runs).toHaveBeenCalledTimes(1);

    const quota = await t.gql<{ updateOrganization: { __typename: string } }>(
      'mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { __typename } }',
      { input: { id: org.orgId, maxQueriesPerDay: 1 } }, org.admin);
    expect(ok(quota).updateOrganization.__typename).toBe('MutationUpdateOrganizationSuccess');
    runs.mockClear();
    expect(await submit(READ, analyst, { execute: true })).toMatchObject({ __typename: 'QuotaExceeded' });
    expect(runs).not.toHaveBeenCalled();
  } finally {
    runs.mockRestore();
    await t.gql('mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { __typename } }', { input: { id: org.orgId, maxQueriesPerDay: 0 } }, org.admin);
  }
});

it('audits a fast read whose configuration changed while it ran, drops its result, and judges it again (refused)', async () => {
  expect((await submit(READ, analyst, { execute: true })).data).toMatchObject({ status: 'EXECUTED' });
  const service = t.app.services.queryRequests as unknown as { runOnEngine: (...args: unknown[]) => Promise<unknown> };
  const original = service.runOnEngine.bind(service);
  let revoked = false;
  const run = vi.spyOn(service, 'runOnEngine').mockImplementation(async (...args: unknown[]) => {
    // The grant goes while the first (fast) run is on the target; the run itself completes.
    if (!revoked) {
      revoked = true;
      expect((await deleteGrant()).__typename).toBe('MutationDeleteGrantSuccess');
    }
    return original(...args);
  });
  try {
    const [before] = await superuserQuery<{ n: number }>(t.databaseUrl!, 'select count(*)::int as n from query_requests', []);
    expect(await submit(READ, analyst, { execute: true })).toMatchObject({ __typename: 'Forbidden' });
    expect(run).toHaveBeenCalledTimes(1);
    const [after] = await superuserQuery<{ n: number }>(t.databaseUrl!, 'select count(*)::int as n from query_requests', []);
    expect(after!.n).toBe(before!.n);
    const discarded = await superuserQuery<{ actor_id: string; target_id: string }>(t.databaseUrl!, "select actor_id, target_id from audit_events where action = 'QUERY_RUN_DISCARDED'", []);
    expect(discarded).toEqual([{ actor_id: analyst.id, target_id: datasourceId }]);
  } finally {
    run.mockRestore();
  }
});

it('lets concurrent configuration changes and submissions of one organization all complete (no lock cycle on the chain)', async () => {
  const createUser = (i: number) =>
    t.gql<{ createUser: { __typename: string } }>(
      'mutation($input: CreateUserInput!) { createUser(input: $input) { __typename } }',
      { input: { email: `concurrent${i}@acme.test`, password: 'correct horse battery staple', displayName: `User ${i}`, role: 'ANALYST' } },
      org.admin,
    );
  grantId = (await upsertGrant({ canRead: true })).id;
  const outcomes = await Promise.all([
    ...Array.from({ length: 6 }, (_, i) => createUser(i).then((r) => ok(r).createUser.__typename)),
    ...Array.from({ length: 4 }, () => submit(READ, analyst, { execute: true }).then((r) => r.__typename)),
  ]);
  expect(outcomes.slice(0, 6)).toEqual(Array(6).fill('MutationCreateUserSuccess'));
  expect(outcomes.slice(6)).toEqual(Array(4).fill('MutationSubmitQuerySuccess'));
});

it('records a fast read in one round trip while the chain is where this server left it, and takes the lock when another server moved it', async () => {
  const { store, bus, audit } = t.app.services;
  // Another replica: the same store and key, its own idea of where the chain is.
  const otherServer = new AuditService(store, bus, (audit as unknown as { hmacKey: Buffer }).hmacKey);
  const origin = { actorId: null, actorType: 'SYSTEM', ipAddress: null, userAgent: null, source: 'SYSTEM' } as const;
  const elsewhere = (action: string) => store.tenant(org.orgId, (em) => otherServer.append(em, org.orgId, origin, { action, targetType: 'Test' }));
  const requests = async () => (await superuserQuery<{ n: number }>(t.databaseUrl!, 'select count(*)::int as n from query_requests', []))[0]!.n;
  const discards = async () => (await superuserQuery<{ n: number }>(t.databaseUrl!, "select count(*)::int as n from audit_events where action = 'QUERY_RUN_DISCARDED'", []))[0]!.n;
  const service = t.app.services.queryRequests as unknown as { runOnEngine: (...args: unknown[]) => Promise<unknown> };
  const original = service.runOnEngine.bind(service);
  const pipelined = vi.spyOn(store, 'pipelined');
  const locked = vi.spyOn(audit, 'lockChain');
  try {
    expect((await submit(READ, analyst, { execute: true })).data).toMatchObject({ status: 'EXECUTED' });
    pipelined.mockClear();
    locked.mockClear();
    const unlocked = (await submit(READ, analyst, { execute: true })).data!;
    expect(unlocked).toMatchObject({ status: 'EXECUTED', result: { rows: [[1, '***', '***']] } });
    expect(await actionsOf(unlocked.id)).toEqual(['QUERY_SUBMITTED', 'QUERY_ANALYZED', 'QUERY_APPROVED', 'QUERY_EXECUTION_STARTED', 'QUERY_EXECUTED']);
    expect([pipelined.mock.calls.length, locked.mock.calls.length]).toEqual([1, 0]);

    // A sign-in elsewhere moves the chain, not the configuration: the unlocked write fails whole, the locked one stands.
    await elsewhere('USER_LOGIN');
    let before = await requests();
    const relocked = (await submit(READ, analyst, { execute: true })).data!;
    expect(relocked).toMatchObject({ status: 'EXECUTED' });
    expect(await actionsOf(relocked.id)).toEqual(['QUERY_SUBMITTED', 'QUERY_ANALYZED', 'QUERY_APPROVED', 'QUERY_EXECUTION_STARTED', 'QUERY_EXECUTED']);
    expect(await requests()).toBe(before + 1);
    expect(locked).toHaveBeenCalledTimes(1);

    // A configuration change elsewhere while the read runs: neither write keeps the result; judged again.
    vi.spyOn(service, 'runOnEngine').mockImplementationOnce(async (...args: unknown[]) => {
      await elsewhere('GRANT_UPSERTED');
      return original(...args);
    });
    before = await requests();
    const discarded = await discards();
    expect((await submit(READ, analyst, { execute: true })).data).toMatchObject({ status: 'EXECUTED' });
    expect(await requests()).toBe(before + 1);
    expect(await discards()).toBe(discarded + 1);
  } finally {
    pipelined.mockRestore();
    locked.mockRestore();
    vi.restoreAllMocks();
  }
  const chain = ok(await t.gql<{ verifyAuditChain: { ok: boolean; checked: number } }>('query { verifyAuditChain { ok checked } }', {}, org.admin));
  expect(chain.verifyAuditChain.ok).toBe(true);
});
