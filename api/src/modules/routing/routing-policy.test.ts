/**
 * Routing policies through the public API on a real PostgreSQL store and target: upsert, list, reorder,
 * delete, every bad input refused with a typed error and nothing written, the audit trail, `decide` in a
 * tenant transaction, and `simulateRouting` with its permission rules.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresDatabase } from '../../../test/servers.ts';
import { createOrg, createTestApp, createUserWithKey, ok, rowCounts, setupFirstOrg, superuserQuery, type Caller, type Org, type TestApp } from '../../../test/harness.ts';
import { DatasourceEntity } from '../datasources/datasource.entity.ts';
import { routingFacts } from './routing-policy.service.ts';
import { route } from './evaluate.ts';

let t: TestApp;
let org: Org;
let datasourceId: string;
let otherDatasourceId: string;
let groupId: string;
let analyst: Caller & { id: string };
let readonly: Caller & { id: string };

interface Result<T = { id: string }> {
  __typename: string;
  data?: T;
  message?: string;
  code?: string;
  issues?: { path: string; message: string }[];
}

const POLICY_FIELDS = 'id name priority enabled datasourceId condition timeZone action requiredApprovals reason';

async function upsert(input: Record<string, unknown>, caller: Caller = org.admin): Promise<Result<Record<string, unknown> & { id: string }>> {
  return ok(await t.gql<{ upsertRoutingPolicy: Result<Record<string, unknown> & { id: string }> }>(
    `mutation($input: UpsertRoutingPolicyInput!) { upsertRoutingPolicy(input: $input) { __typename
      ... on MutationUpsertRoutingPolicySuccess { data { ${POLICY_FIELDS} } }
      ... on Error { code message } ... on ValidationError { issues { path message } } } }`,
    { input },
    caller,
  )).upsertRoutingPolicy;
}

async function list(caller: Caller = org.admin): Promise<{ name: string; priority: number }[]> {
  const data = ok(await t.gql<{ routingPolicies: { edges: { node: { name: string; priority: number } }[] } }>('{ routingPolicies(first: 100) { edges { node { name priority } } } }', undefined, caller));
  return data.routingPolicies.edges.map((e) => e.node);
}

async function reorder(ids: string[], caller: Caller = org.admin) {
  return ok(await t.gql<{ reorderRoutingPolicies: Result<{ name: string; priority: number }[]> }>(
    `mutation($ids: [ID!]!) { reorderRoutingPolicies(input: { ids: $ids }) { __typename
      ... on MutationReorderRoutingPoliciesSuccess { data { name priority } } ... on Error { code message } } }`,
    { ids },
    caller,
  )).reorderRoutingPolicies;
}

const SIMULATION = `query($input: SimulateRoutingInput!) { simulateRouting(input: $input) { __typename
  ... on QuerySimulateRoutingSuccess { data {
    decision { policyId policyName action verdict requiredApprovals reason conditionResult }
    evaluations { policyName priority result trace { result detail tree } }
    refusal queryType tables hasWhere hasLimit readOnly riskLevel riskScore requesterRole requesterGroupIds cicdOrigin at } }
  ... on Error { code message } ... on QueryRejected { reason } } }`;

interface Simulation {
  decision: { policyId: string; policyName: string; action: string; verdict: string; requiredApprovals: number | null; reason: string; conditionResult: string } | null;
  evaluations: { policyName: string; priority: number; result: string; trace: { result: string; detail: string; tree: unknown } }[];
  refusal: string | null;
  queryType: string;
  tables: string[];
  riskLevel: string;
  requesterRole: string;
  requesterGroupIds: string[];
  cicdOrigin: boolean;
}

async function simulate(input: Record<string, unknown>, caller: Caller = org.admin): Promise<Result<Simulation>> {
  return ok(await t.gql<{ simulateRouting: Result<Simulation> }>(SIMULATION, { input: { datasourceId, ...input } }, caller)).simulateRouting;
}

const selectOnly = { type: 'query_type', any_of: ['SELECT'] };

beforeAll(async () => {
  t = await createTestApp();
  org = await setupFirstOrg(t);
  const targetUrl = await createPostgresDatabase(inject('postgresUrl'));
  await superuserQuery(targetUrl, `create schema payroll; create table payroll.salaries (id int primary key, amount int);
    create table orders (id int primary key, total int); insert into orders select i, i from generate_series(1, 5) i;`);
  const url = new URL(targetUrl);
  const ds = async (name: string) =>
    ok(await t.gql<{ upsertDatasource: Result }>(
      `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename ... on MutationUpsertDatasourceSuccess { data { id } } ... on Error { message } } }`,
      { input: { name, dbType: 'POSTGRESQL', host: url.hostname, port: Number(url.port), databaseName: url.pathname.slice(1), username: 'postgres' } },
      org.admin,
    )).upsertDatasource.data!.id;
  datasourceId = await ds('hr');
  otherDatasourceId = await ds('shop');
  analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'analyst@acme.test');
  readonly = await createUserWithKey(t, org.admin, 'READONLY', 'readonly@acme.test');
  groupId = ok(await t.gql<{ upsertUserGroup: Result }>(
    `mutation($m: [ID!]) { upsertUserGroup(input: { name: "payroll-team", memberIds: $m }) { __typename ... on MutationUpsertUserGroupSuccess { data { id } } } }`,
    { m: [analyst.id] },
    org.admin,
  )).upsertUserGroup.data!.id;
  for (const userId of [analyst.id, readonly.id]) {
    ok(await t.gql(`mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }`, { input: { datasourceId, userId, canRead: true, canWrite: userId === analyst.id } }, org.admin));
  }
});
afterAll(() => t.close());

describe('upsert, list, reorder, delete', () => {
  it('creates by name, normalises the condition, and updates in place on a second upsert', async () => {
    const created = await upsert({ name: 'reads', priority: 100, condition: { type: 'query_type', any_of: ['select'] }, action: 'AUTO_APPROVE', timeZone: 'europe/berlin' });
    expect(created.__typename).toBe('MutationUpsertRoutingPolicySuccess');
    expect(created.data).toMatchObject({ name: 'reads', priority: 100, enabled: true, datasourceId: null, condition: selectOnly, timeZone: 'Europe/Berlin', action: 'AUTO_APPROVE', requiredApprovals: null });
    const updated = await upsert({ name: 'reads', priority: 110, datasourceId, condition: selectOnly, action: 'ESCALATE', reason: 'all reads to a human' });
    expect(updated.data).toMatchObject({ id: created.data!.id, priority: 110, datasourceId, action: 'ESCALATE', requiredApprovals: 1, timeZone: 'UTC', reason: 'all reads to a human' });
    const read = ok(await t.gql<{ routingPolicy: { name: string } }>('query($id: ID!) { routingPolicy(id: $id) { name } }', { id: created.data!.id }, org.admin));
    expect(read.routingPolicy.name).toBe('reads');
  });

  it('lists in evaluation order and reorders, keeping the set of priorities', async () => {
    const b = (await upsert({ name: 'b', priority: 20, condition: selectOnly, action: 'AUTO_APPROVE' })).data!.id;
    const c = (await upsert({ name: 'c', priority: 30, condition: selectOnly, action: 'AUTO_APPROVE' })).data!.id;
    const reads = (await upsert({ name: 'reads', priority: 110, datasourceId, condition: selectOnly, action: 'ESCALATE' })).data!.id;
    expect(await list()).toEqual([{ name: 'b', priority: 20 }, { name: 'c', priority: 30 }, { name: 'reads', priority: 110 }]);
    const reordered = await reorder([reads, c, b]);
    expect(reordered.data).toEqual([{ name: 'reads', priority: 20 }, { name: 'c', priority: 30 }, { name: 'b', priority: 110 }]);
    expect(await list()).toEqual(reordered.data);
    const events = await superuserQuery<{ action: string }>(t.databaseUrl!, `select action from audit_events where action like 'ROUTING_POLIC%' order by seq`);
    expect(events.map((e) => e.action)).toEqual(['ROUTING_POLICY_CREATED', 'ROUTING_POLICY_UPDATED', 'ROUTING_POLICY_CREATED', 'ROUTING_POLICY_CREATED', 'ROUTING_POLICY_UPDATED', 'ROUTING_POLICIES_REORDERED']);
    expect(ok(await t.gql<{ verifyAuditChain: { ok: boolean } }>('{ verifyAuditChain { ok } }', undefined, org.admin)).verifyAuditChain.ok).toBe(true);
  });

  it('refuses a reorder that omits, repeats or invents a policy, changing nothing', async () => {
    const ids = (await superuserQuery<{ id: string }>(t.databaseUrl!, 'select id from routing_policies order by priority')).map((r) => r.id);
    const before = await rowCounts(t.databaseUrl!);
    const snapshot = await list();
    expect((await reorder(ids.slice(1))).__typename).toBe('ValidationError');
    expect((await reorder([ids[0]!, ...ids])).__typename).toBe('ValidationError');
    expect((await reorder([...ids.slice(1), '00000000-0000-4000-8000-00000000dead'])).__typename).toBe('NotFound');
    expect(await list()).toEqual(snapshot);
    expect(await rowCounts(t.databaseUrl!)).toEqual(before);
  });

  it('deletes, audited, and a deleted id is NotFound', async () => {
    const id = (await upsert({ name: 'temporary', priority: 999, condition: selectOnly, action: 'AUTO_REJECT' })).data!.id;
    const deleted = ok(await t.gql<{ deleteRoutingPolicy: Result<string> }>('mutation($id: ID!) { deleteRoutingPolicy(id: $id) { __typename ... on MutationDeleteRoutingPolicySuccess { data } ... on Error { code } } }', { id }, org.admin));
    expect(deleted.deleteRoutingPolicy.data).toBe(id);
    const again = ok(await t.gql<{ deleteRoutingPolicy: Result<string> }>('mutation($id: ID!) { deleteRoutingPolicy(id: $id) { __typename } }', { id }, org.admin));
    expect(again.deleteRoutingPolicy.__typename).toBe('NotFound');
    const [event] = await superuserQuery<{ metadata: { name: string } }>(t.databaseUrl!, `select metadata from audit_events where action = 'ROUTING_POLICY_DELETED' and target_id = $1`, [id]);
    expect(event!.metadata.name).toBe('temporary');
  });

  it('warns, without refusing, about globs that match no table of the scoped datasource', async () => {
    const result = await upsert({
      name: 'typo',
      priority: 700,
      datasourceId,
      condition: { type: 'or', children: [{ type: 'referenced_table', globs: ['payrol.*', 'payroll.sal*'] }, { type: 'not', child: { type: 'referenced_table', globs: ['orders', 'audit_*'] } }] },
      action: 'AUTO_REJECT',
    });
    expect(result.__typename).toBe('MutationUpsertRoutingPolicySuccess');
    const read = async (id: string) =>
      ok(await t.gql<{ routingPolicy: { unmatchedGlobs: string[] | null } }>('query($id: ID!) { routingPolicy(id: $id) { unmatchedGlobs } }', { id }, org.admin)).routingPolicy.unmatchedGlobs;
    expect(await read(result.data!.id)).toEqual(['payrol.*', 'audit_*']);
    const orgWide = await upsert({ name: 'org-wide', priority: 701, condition: { type: 'referenced_table', globs: ['nothing_here'] }, action: 'AUTO_REJECT' });
    expect(await read(orgWide.data!.id)).toBeNull();
    for (const id of [result.data!.id, orgWide.data!.id]) ok(await t.gql('mutation($id: ID!) { deleteRoutingPolicy(id: $id) { __typename } }', { id }, org.admin));
  });
});

describe('bad input: a typed error and nothing written', () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['a priority another policy holds', { name: 'clash', priority: 30, condition: selectOnly, action: 'AUTO_APPROVE' }, 'Conflict', /priority 30 is already used by routing policy "c"/],
    ['a tree deeper than the limit', { name: 'deep', priority: 500, condition: Array.from({ length: 12 }).reduce<unknown>((child) => ({ type: 'not', child }), selectOnly), action: 'AUTO_APPROVE' }, 'ValidationError', /deeper than 8/],
    ['a glob that cannot match any table', { name: 'glob', priority: 500, condition: { type: 'referenced_table', globs: ['payroll.salaries.amount'] }, action: 'AUTO_REJECT' }, 'ValidationError', /condition\.globs\.0/],
    ['an invalid time zone', { name: 'tz', priority: 500, condition: selectOnly, action: 'AUTO_APPROVE', timeZone: 'Europe/Atlantis' }, 'ValidationError', /timeZone: "Europe\/Atlantis" is not an IANA time zone/],
    ['an offset instead of a zone', { name: 'tz', priority: 500, condition: selectOnly, action: 'AUTO_APPROVE', timeZone: '+02:00' }, 'ValidationError', /timeZone/],
    ['REQUIRE_APPROVALS without a count', { name: 'n', priority: 500, condition: selectOnly, action: 'REQUIRE_APPROVALS' }, 'ValidationError', /requiredApprovals: required for REQUIRE_APPROVALS/],
    ['a count on AUTO_APPROVE', { name: 'n', priority: 500, condition: selectOnly, action: 'AUTO_APPROVE', requiredApprovals: 2 }, 'ValidationError', /requiredApprovals: must be null for AUTO_APPROVE/],
    ['too many approvals', { name: 'n', priority: 500, condition: selectOnly, action: 'ESCALATE', requiredApprovals: 11 }, 'ValidationError', /requiredApprovals/],
    ['a negative priority', { name: 'n', priority: -1, condition: selectOnly, action: 'AUTO_APPROVE' }, 'ValidationError', /priority/],
    ['a group of no one in this organization', { name: 'n', priority: 500, condition: { type: 'requester_group', group_ids: ['00000000-0000-4000-8000-00000000beef'] }, action: 'AUTO_APPROVE' }, 'ValidationError', /no group 00000000-0000-4000-8000-00000000beef/],
    ["a seed leaf AccessFlow does not evaluate", { name: 'n', priority: 500, condition: { type: 'source_ip', cidrs: ['10.0.0.0/8'] }, action: 'AUTO_APPROVE' }, 'ValidationError', /"source_ip" condition is not supported/],
    ['an unknown datasource', { name: 'n', priority: 500, datasourceId: '00000000-0000-4000-8000-00000000cafe', condition: selectOnly, action: 'AUTO_APPROVE' }, 'NotFound', /Datasource/],
    ['a condition that is not a tree', { name: 'n', priority: 500, condition: 'select', action: 'AUTO_APPROVE' }, 'ValidationError', /condition/],
  ];
  for (const [what, input, typename, message] of cases) {
    it(`refuses ${what}`, async () => {
      const before = await rowCounts(t.databaseUrl!);
      const result = await upsert(input);
      expect(result.__typename).toBe(typename);
      expect(result.message).toMatch(message);
      expect(await rowCounts(t.databaseUrl!)).toEqual(before);
    });
  }

  it('keeps another organization out: its admin can neither see nor reorder this one’s policies', async () => {
    const other = await createOrg(t, org.admin, 'Globex', 'admin@globex.test');
    expect(await list(other.admin)).toEqual([]);
    const ids = (await superuserQuery<{ id: string }>(t.databaseUrl!, 'select id from routing_policies where organization_id = $1', [org.orgId])).map((r) => r.id);
    expect((await reorder(ids, other.admin)).__typename).toBe('NotFound');
    // The same priority and name are free in another organization.
    expect((await upsert({ name: 'c', priority: 30, condition: selectOnly, action: 'AUTO_APPROVE' }, other.admin)).__typename).toBe('MutationUpsertRoutingPolicySuccess');
  });
});

describe('decide (for the request workflow) and simulateRouting', () => {
  beforeAll(async () => {
    // Start from a clean slate of policies for this organization.
    for (const { id } of await superuserQuery<{ id: string }>(t.databaseUrl!, 'select id from routing_policies where organization_id = $1', [org.orgId])) {
      ok(await t.gql('mutation($id: ID!) { deleteRoutingPolicy(id: $id) { __typename } }', { id }, org.admin));
    }
    const policies = [
      { name: 'block-delete-without-where', priority: 10, condition: { type: 'and', children: [{ type: 'query_type', any_of: ['DELETE'] }, { type: 'has_where', expected: false }] }, action: 'AUTO_REJECT', reason: 'DELETE needs a WHERE' },
      { name: 'payroll-team-escalation', priority: 20, datasourceId, condition: { type: 'and', children: [{ type: 'requester_group', group_ids: [groupId] }, { type: 'referenced_table', globs: ['payroll.*'] }] }, action: 'ESCALATE', requiredApprovals: 2 },
      { name: 'ci-reads', priority: 30, condition: { type: 'and', children: [selectOnly, { type: 'cicd_origin', expected: true }] }, action: 'AUTO_APPROVE' },
      { name: 'shop-only', priority: 40, datasourceId: otherDatasourceId, condition: selectOnly, action: 'AUTO_REJECT' },
      { name: 'disabled', priority: 50, enabled: false, condition: selectOnly, action: 'AUTO_REJECT' },
    ];
    for (const policy of policies) expect((await upsert(policy)).__typename).toBe('MutationUpsertRoutingPolicySuccess');
  });

  it('applicable policies, routed: the first that applies, or null', async () => {
    const { store, routingPolicies } = t.app.services;
    const decideFor = (over: Partial<Parameters<typeof routingFacts>[0]['classification']>, cicdOrigin = false) =>
      store.tenant(org.orgId, async (em) => {
        const datasource = await em.findOneOrFail(DatasourceEntity, { id: datasourceId });
        const classification = { type: 'SELECT' as const, statements: [], tables: [{ schema: null, name: 'orders' }], writtenTables: [{ schema: null, name: 'orders' }], hasWhere: true, hasLimit: false, transactional: false, readOnly: true, opaqueCalls: [], ...over };
        return route(await routingPolicies.applicable(em, datasourceId), routingFacts({ datasource, classification, risk: { level: 'LOW', score: 5 }, requesterRole: 'ANALYST', requesterGroupIds: [], cicdOrigin, planMinApprovals: 1, now: new Date() })).decision;
      });
    expect(await decideFor({ type: 'DELETE', hasWhere: false, readOnly: false })).toMatchObject({ policyName: 'block-delete-without-where', verdict: 'REJECT', reason: 'routing policy "block-delete-without-where" (AUTO_REJECT): DELETE needs a WHERE' });
    expect(await decideFor({}, true)).toMatchObject({ policyName: 'ci-reads', verdict: 'APPROVE' });
    expect(await decideFor({})).toBeNull();
  });

  it('simulates as the caller: classification, risk, facts and each evaluated policy with its trace', async () => {
    const result = await simulate({ query: 'delete from orders' }, analyst);
    expect(result.__typename).toBe('QuerySimulateRoutingSuccess');
    const s = result.data!;
    expect(s).toMatchObject({ queryType: 'DELETE', tables: ['public.orders'], refusal: null, requesterRole: 'ANALYST', requesterGroupIds: [groupId], cicdOrigin: true });
    expect(s.decision).toMatchObject({ policyName: 'block-delete-without-where', action: 'AUTO_REJECT', verdict: 'REJECT', conditionResult: 'TRUE' });
    expect(s.evaluations).toHaveLength(1);
    expect(s.evaluations[0]!.trace.tree).toMatchObject({ type: 'and', result: 'TRUE', children: [{ type: 'query_type', result: 'TRUE' }, { type: 'has_where', result: 'TRUE', detail: 'has_where is false, expected false' }] });
  });

  it('reads CI origin from the request (API keys count as CI) unless the input says otherwise', async () => {
    const viaKey = (await simulate({ query: 'select * from orders' }, analyst)).data!;
    expect(viaKey.decision).toMatchObject({ policyName: 'ci-reads', verdict: 'APPROVE' });
    const notCi = (await simulate({ query: 'select * from orders', cicdOrigin: false }, analyst)).data!;
    expect(notCi.decision).toBeNull();
    expect(notCi.evaluations.map((e) => [e.policyName, e.result])).toEqual([['block-delete-without-where', 'FALSE'], ['payroll-team-escalation', 'FALSE'], ['ci-reads', 'FALSE']]);
  });

  it('lets a policy manager simulate as someone else; group membership and role are theirs', async () => {
    const asAnalyst = (await simulate({ query: 'update payroll.salaries set amount = 1 where id = 1', asUserId: analyst.id, cicdOrigin: false })).data!;
    expect(asAnalyst.decision).toMatchObject({ policyName: 'payroll-team-escalation', verdict: 'REVIEW', requiredApprovals: 3 });
    expect(asAnalyst.refusal).toBeNull();
    const asReadonly = (await simulate({ query: 'update payroll.salaries set amount = 1 where id = 1', asUserId: readonly.id, cicdOrigin: false })).data!;
    expect(asReadonly.decision).toBeNull();
    expect(asReadonly.refusal).toMatch(/READONLY may not submit writes/);
  });

  it('refuses: someone else without POLICIES_MANAGE, a datasource without a grant, an unparseable statement; writes nothing', async () => {
    const before = await rowCounts(t.databaseUrl!);
    expect((await simulate({ query: 'select 1', asUserId: readonly.id }, analyst)).__typename).toBe('Forbidden');
    expect((await simulate({ query: 'select 1', datasourceId: otherDatasourceId }, analyst)).__typename).toBe('NotFound');
    const rejected = await simulate({ query: 'selec oops' }, analyst);
    expect(rejected).toMatchObject({ __typename: 'QueryRejected', reason: 'PARSE_ERROR' });
    expect((await simulate({ query: 'select 1', asUserId: '00000000-0000-4000-8000-00000000f00d' })).__typename).toBe('NotFound');
    expect(await rowCounts(t.databaseUrl!)).toEqual(before);
  });
});
