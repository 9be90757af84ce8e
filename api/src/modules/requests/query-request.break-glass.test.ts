/**
 * Break-glass (FEATURES C11): an explicit per-user, per-datasource grant (admins too), a justification, a run at
 * once through every guard, a prominent audit row, admins told live, and a retro-review nobody closes on their
 * own run. Real PostgreSQL target.
 */
import { inject, afterAll, beforeAll, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../../test/servers.ts';
import { createTestApp, createUserWithKey, ok, rowCounts, setupFirstOrg, superuserQuery, type Caller, type Org, type TestApp } from '../../../test/harness.ts';
import { REQUEST_FIELDS, postgresDatasource, workflow, type Request } from './requests.fixture.ts';

let t: TestApp;
let org: Org;
let targetUrl: string;
let datasourceId: string;
let oncall: Caller & { id: string };
let analyst: Caller & { id: string };
let secondAdmin: Caller & { id: string };
let auditor: Caller & { id: string };
let { mutate, createDatasource } = {} as ReturnType<typeof workflow>;

const breakGlass = (query: string, caller: Caller, justification: string | null = 'INC-2114: checkout is down, fixing stuck orders') =>
  mutate<Request & { breakGlass: boolean; retroReviewStatus: string | null }>(
    'breakGlassQuery',
    `mutation($input: BreakGlassQueryInput!) { breakGlassQuery(input: $input) { __typename
      ... on MutationBreakGlassQuerySuccess { data { ${REQUEST_FIELDS} breakGlass retroReviewStatus } } ... on Error { code message } ... on QueryRejected { reason } } }`,
    { input: { datasourceId, query, justification } },
    caller,
  );

const acknowledge = (requestId: string, caller: Caller, comment = 'reviewed with the on-call lead') =>
  t.gql<{ acknowledgeBreakGlass: { __typename: string; data?: { retroReviewStatus: string; retroReviewedById: string }; message?: string } }>(
    `mutation($input: AcknowledgeBreakGlassInput!) { acknowledgeBreakGlass(input: $input) { __typename
      ... on MutationAcknowledgeBreakGlassSuccess { data { retroReviewStatus retroReviewedById } } ... on Error { code message } } }`,
    { input: { requestId, comment } },
    caller,
  );

async function grant(userId: string, canBreakGlass: boolean) {
  await mutate('upsertGrant', 'mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }',
    { input: { datasourceId, userId, canRead: true, canWrite: true, canBreakGlass, allowedSchemas: ['public'] } }, org.admin);
}

beforeAll(async () => {
  t = await createTestApp();
  ({ mutate, createDatasource } = workflow(t, () => datasourceId));
  org = await setupFirstOrg(t);
  targetUrl = await createPostgresDatabase(inject('postgresUrl'));
  await superuserQuery(targetUrl, `
    create table orders (id int primary key, state text, email text);
    insert into orders select i, 'stuck', 'buyer' || i || '@example.com' from generate_series(1, 30) i;
    create schema vault; create table vault.keys (id int);`);
  datasourceId = await createDatasource(postgresDatasource(targetUrl, { name: 'shop', maxRowsPerQuery: 10 }), org.admin);
  oncall = await createUserWithKey(t, org.admin, 'ANALYST', 'oncall@acme.test');
  analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'analyst@acme.test');
  secondAdmin = await createUserWithKey(t, org.admin, 'ADMIN', 'admin2@acme.test');
  auditor = await createUserWithKey(t, org.admin, 'AUDITOR', 'auditor@acme.test');
  await grant(oncall.id, true);
  await grant(analyst.id, false);
  await mutate('upsertMaskingPolicy', 'mutation($input: UpsertMaskingPolicyInput!) { upsertMaskingPolicy(input: $input) { __typename } }',
    { input: { datasourceId, columnRef: 'public.orders.email', strategy: 'EMAIL' } }, org.admin);
});
afterAll(() => t.close());

it('refuses without an explicit can_break_glass grant (admins too) or without a justification, writing nothing', async () => {
  const before = await rowCounts(t.databaseUrl!);
  expect(await breakGlass("update orders set state = 'x' where id = 1", analyst)).toMatchObject({ __typename: 'Forbidden' });
  const byAdmin = await breakGlass("update orders set state = 'x' where id = 1", org.admin);
  expect(byAdmin).toMatchObject({ __typename: 'Forbidden' });
  expect(byAdmin.message).toMatch(/explicit can_break_glass grant \(admins too\)/);
  expect(await breakGlass("update orders set state = 'x' where id = 1", oncall, 'urgent')).toMatchObject({ __typename: 'ValidationError' });
  expect(await rowCounts(t.databaseUrl!)).toEqual(before);
  expect(await superuserQuery(targetUrl, "select count(*)::int as n from orders where state = 'x'")).toEqual([{ n: 0 }]);
});

it('runs at once, skipping review, audited prominently, announced to admins, with a retro-review pending', async () => {
  const response = await t.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: secondAdmin.authorization! },
    body: JSON.stringify({ query: 'subscription { breakGlassExecuted { id breakGlass } }' }),
  });
  const reader = response.body!.getReader();
  let heard = '';
  const listening = (async () => {
    while (!heard.includes('"breakGlass":true')) {
      const { done, value } = await reader.read();
      if (done) return;
      heard += new TextDecoder().decode(value);
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 300));

  const result = await breakGlass("update orders set state = 'released' where id <= 3", oncall);
  expect(result.data).toMatchObject({ status: 'EXECUTED', rowsAffected: 3, breakGlass: true, retroReviewStatus: 'PENDING' });
  await Promise.race([listening, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  await reader.cancel();
  expect(heard).toContain(result.data!.id);

  const [event] = await superuserQuery<{ metadata: Record<string, unknown> }>(t.databaseUrl!,
    "select metadata from audit_events where target_id = $1 and action = 'QUERY_BREAK_GLASS_EXECUTED'", [result.data!.id]);
  expect(event!.metadata).toMatchObject({ prominent: true, justification: 'INC-2114: checkout is down, fixing stuck orders', decision: { decidedBy: 'BREAK_GLASS' } });
});

it('still applies every guard: allowed schemas, unsafe constructs, masking and the row cap', async () => {
  expect(await breakGlass('select * from vault.keys', oncall)).toMatchObject({ __typename: 'Forbidden' });
  expect(await breakGlass('select pg_sleep(1)', oncall)).toMatchObject({ __typename: 'QueryRejected', reason: 'UNSAFE_FUNCTION' });
  const read = (await breakGlass('select id, email from orders order by id', oncall)).data!;
  expect(read.result).toMatchObject({ rowCount: 10, truncated: true });
  expect(read.result!.rows[0]).toEqual([1, 'b***@example.com']);
});

it('opens a retro-review only another admin can close, listed in the break-glass log', async () => {
  const run = (await breakGlass("update orders set state = 'fixed' where id = 4", oncall)).data!;
  const log = async (caller: Caller) =>
    ok(await t.gql<{ breakGlassLog: { edges: { node: { id: string } }[] } }>('{ breakGlassLog(pendingOnly: true) { edges { node { id } } } }', undefined, caller)).breakGlassLog.edges.map((e) => e.node.id);
  expect(await log(auditor)).toContain(run.id);
  // The auditor sees the statement and who ran it, not the data it returned.
  const seen = ok(await t.gql<{ breakGlassLog: { edges: { node: { id: string; query: string; result: unknown } }[] } }>(
    '{ breakGlassLog { edges { node { id query result { rows } } } } }', undefined, auditor)).breakGlassLog.edges.find((e) => e.node.id === run.id)!.node;
  expect(seen).toMatchObject({ query: "update orders set state = 'fixed' where id = 4", result: null });
  expect((await t.gql('{ breakGlassLog { edges { node { id } } } }', undefined, oncall)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect((await acknowledge(run.id, oncall)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

  // An admin who broke glass themselves cannot close their own retro-review.
  await grant(secondAdmin.id, true);
  const ownRun = (await breakGlass("update orders set state = 'own' where id = 5", secondAdmin)).data!;
  expect(ok(await acknowledge(ownRun.id, secondAdmin)).acknowledgeBreakGlass).toMatchObject({ __typename: 'Forbidden' });

  expect(ok(await acknowledge(run.id, secondAdmin)).acknowledgeBreakGlass).toMatchObject({ data: { retroReviewStatus: 'ACKNOWLEDGED', retroReviewedById: secondAdmin.id } });
  expect(ok(await acknowledge(run.id, org.admin)).acknowledgeBreakGlass).toMatchObject({ __typename: 'Conflict' });
  expect(await log(auditor)).not.toContain(run.id);
  expect(await log(auditor)).toContain(ownRun.id);
});
