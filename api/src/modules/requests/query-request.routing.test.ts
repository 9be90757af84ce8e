/**
 * Routing policies decide real submissions (FEATURES C5): first enabled match by priority auto-approves,
 * auto-rejects or sets the approvals needed; with none, the review plan decides. Every automated decision is
 * in the audit log with the policy. Real PostgreSQL target.
 */
import { inject, afterAll, beforeAll, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../../test/servers.ts';
import { createTestApp, createUserWithKey, login, setupFirstOrg, superuserQuery, type Caller, type Org, type TestApp } from '../../../test/harness.ts';
import { postgresDatasource, workflow } from './requests.fixture.ts';

let t: TestApp;
let org: Org;
let targetUrl: string;
let datasourceId: string;
let analyst: Caller & { id: string };
let reviewer: Caller & { id: string };
let secondReviewer: Caller & { id: string };
const policyIds: Record<string, string> = {};
let { submit, decide, mutate, createDatasource } = {} as ReturnType<typeof workflow>;

async function decisionRecord(requestId: string): Promise<Record<string, unknown>> {
  const [row] = await superuserQuery<{ metadata: { decision: Record<string, unknown> } }>(
    t.databaseUrl!,
    "select metadata from audit_events where target_id = $1 and action in ('QUERY_APPROVED', 'QUERY_REJECTED', 'QUERY_REVIEW_REQUIRED') order by seq limit 1",
    [requestId],
  );
  return row!.metadata.decision;
}

async function policy(name: string, priority: number, condition: unknown, action: string, requiredApprovals?: number) {
  const result = await mutate<{ id: string }>(
    'upsertRoutingPolicy',
    `mutation($input: UpsertRoutingPolicyInput!) { upsertRoutingPolicy(input: $input) { __typename ... on MutationUpsertRoutingPolicySuccess { data { id } } ... on Error { message } } }`,
    { input: { name, priority, condition, action, requiredApprovals, reason: `${name} (test)` } },
    org.admin,
  );
  expect(result.__typename, result.message).toBe('MutationUpsertRoutingPolicySuccess');
  policyIds[name] = result.data!.id;
}

beforeAll(async () => {
  t = await createTestApp();
  ({ submit, decide, mutate, createDatasource } = workflow(t, () => datasourceId));
  org = await setupFirstOrg(t);
  targetUrl = await createPostgresDatabase(inject('postgresUrl'));
  await superuserQuery(targetUrl, `
    create table customers (id int primary key, name text); insert into customers select i, 'c' || i from generate_series(1, 5) i;
    create schema scratch; create table scratch.notes (id int, body text);
    create schema payroll; create table payroll.salaries (id int primary key, amount int); insert into payroll.salaries values (1, 100);`);
  datasourceId = await createDatasource(postgresDatasource(targetUrl, { name: 'ops' }), org.admin);
  analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'analyst@acme.test');
  reviewer = await createUserWithKey(t, org.admin, 'REVIEWER', 'reviewer@acme.test');
  secondReviewer = await createUserWithKey(t, org.admin, 'REVIEWER', 'reviewer2@acme.test');
  await mutate('upsertGrant', 'mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }',
    { input: { datasourceId, userId: analyst.id, canRead: true, canWrite: true } }, org.admin);
  await policy('block unbounded deletes', 10, { type: 'and', children: [{ type: 'query_type', any_of: ['DELETE'] }, { type: 'has_where', expected: false }] }, 'AUTO_REJECT');
  await policy('scratch writes', 20, { type: 'referenced_table', globs: ['scratch.*'] }, 'AUTO_APPROVE');
  await policy('payroll needs two', 30, { type: 'and', children: [{ type: 'referenced_table', globs: ['payroll.*'] }, { type: 'not', child: { type: 'query_type', any_of: ['SELECT'] } }] }, 'REQUIRE_APPROVALS', 2);
  await policy('ci writes escalate', 40, { type: 'and', children: [{ type: 'cicd_origin', expected: true }, { type: 'query_type', any_of: ['UPDATE'] }] }, 'ESCALATE');
});
afterAll(() => t.close());

it('rejects at submission what a policy blocks, with its reason, and records the policy', async () => {
  const result = await submit('delete from customers', analyst);
  expect(result.data).toMatchObject({ status: 'REJECTED' });
  const read = await t.gql<{ queryRequest: { decisionReason: string } }>('query($id: ID!) { queryRequest(id: $id) { decisionReason } }', { id: result.data!.id }, analyst);
  expect(read.data!.queryRequest.decisionReason).toContain('block unbounded deletes (test)');
  expect(await superuserQuery(targetUrl, 'select count(*)::int as n from customers')).toEqual([{ n: 5 }]);
  expect(await decisionRecord(result.data!.id)).toMatchObject({
    verdict: 'REJECTED',
    decidedBy: 'ROUTING_POLICY',
    policyId: policyIds['block unbounded deletes'],
    policyName: 'block unbounded deletes',
    policyAction: 'AUTO_REJECT',
  });
});

it('approves at submission what a policy auto-approves, and runs it in the same response', async () => {
  const result = await submit("insert into scratch.notes values (1, 'hello')", analyst, { execute: true });
  expect(result.data).toMatchObject({ status: 'EXECUTED', rowsAffected: 1 });
  expect(await decisionRecord(result.data!.id)).toMatchObject({ verdict: 'APPROVED', decidedBy: 'ROUTING_POLICY', policyAction: 'AUTO_APPROVE' });
});

it('requires the approvals a policy asks for', async () => {
  const submitted = (await submit('update payroll.salaries set amount = 200 where id = 1', analyst)).data!;
  expect(submitted.status).toBe('PENDING_REVIEW');
  expect((await decide(submitted.id, 'APPROVE', reviewer)).data).toMatchObject({ status: 'PENDING_REVIEW' });
  expect((await decide(submitted.id, 'APPROVE', secondReviewer)).data).toMatchObject({ status: 'APPROVED' });
  expect(await decisionRecord(submitted.id)).toMatchObject({ verdict: 'PENDING_REVIEW', policyAction: 'REQUIRE_APPROVALS', minApprovalsRequired: 2 });
});

it('escalates writes from CI (the X-AccessFlow-CI header; every API-key call counts too) by one approval', async () => {
  const submitted = (await submit("update customers set name = 'ci' where id = 1", { ...analyst, headers: { 'x-accessflow-ci': 'true' } })).data!;
  expect(submitted.status).toBe('PENDING_REVIEW');
  expect((await decide(submitted.id, 'APPROVE', reviewer)).data).toMatchObject({ status: 'PENDING_REVIEW' });
  expect((await decide(submitted.id, 'APPROVE', secondReviewer)).data).toMatchObject({ status: 'APPROVED' });
});

it('leaves the review plan to decide when no policy applies (a signed-in person is not CI)', async () => {
  const session = await login(t, 'analyst@acme.test');
  const person = { authorization: `Bearer ${session.accessToken}` };
  const read = await submit('select id from customers where id = 1', person, { execute: true });
  expect(read.data).toMatchObject({ status: 'EXECUTED' });
  expect(await decisionRecord(read.data!.id)).toMatchObject({ decidedBy: 'REVIEW_PLAN' });
  const write = (await submit("update customers set name = 'x' where id = 2", person)).data!;
  expect(write.status).toBe('PENDING_REVIEW');
  expect((await decide(write.id, 'APPROVE', reviewer)).data).toMatchObject({ status: 'APPROVED' });
});
