/** Declarative service accounts and the by-name lookups the Terraform provider's data sources use. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createTestApp, createUserWithKey, ok, rowCounts, setupFirstOrg, type Org, type TestApp } from '../../../test/harness.ts';

const UPSERT = `mutation($input: UpsertServiceAccountInput!) { upsertServiceAccount(input: $input) {
  __typename ... on MutationUpsertServiceAccountSuccess { data { id name role createdAt } }
  ... on ValidationError { issues { path message } } ... on Error { code message } } }`;

describe('service accounts as declarative objects', () => {
  let t: TestApp;
  let org: Org;
  const admin = () => ({ authorization: org.admin.authorization });
  type Result = { __typename: string; data?: { id: string; name: string; role: string }; issues?: { path: string }[] };
  const upsert = async (input: Record<string, unknown>, caller = admin()) =>
    ok(await t.gql<{ upsertServiceAccount: Result }>(UPSERT, { input }, caller)).upsertServiceAccount;
  const whoAmI = async (authorization: string) => (await t.gql<{ me: { id: string } }>('{ me { id } }', {}, { authorization })).data?.me ?? null;

  beforeAll(async () => {
    t = await createTestApp();
    org = await setupFirstOrg(t);
  });
  afterAll(() => t.close());

  it('refuses bad input and non-admins, changing nothing', async () => {
    const before = await rowCounts(t.databaseUrl!);
    expect(await upsert({ name: '   ', role: 'ADMIN' })).toMatchObject({ __typename: 'ValidationError', issues: [{ path: 'input.name' }] });
    const analyst = await createUserWithKey(t, admin(), 'ANALYST', 'analyst@acme.test');
    const afterUser = await rowCounts(t.databaseUrl!);
    const refused = await t.gql(UPSERT, { input: { name: 'ci', role: 'ADMIN' } }, { authorization: analyst.authorization });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await rowCounts(t.databaseUrl!)).toEqual(afterUser);
    expect(afterUser['users']).toBe((before['users'] ?? 0) + 1);
  });

  it('creates by name, updates the same account, and finds it by id and by name', async () => {
    const created = await upsert({ name: 'terraform', role: 'ANALYST' });
    expect(created).toMatchObject({ __typename: 'MutationUpsertServiceAccountSuccess', data: { name: 'terraform', role: 'ANALYST' } });
    const updated = await upsert({ name: 'terraform', role: 'ADMIN' });
    expect(updated.data).toMatchObject({ id: created.data?.id, role: 'ADMIN' });
    const found = ok(
      await t.gql<{ serviceAccount: { name: string }; serviceAccountByName: { id: string }; missing: null }>(
        `query($id: ID!) { serviceAccount(id: $id) { name } serviceAccountByName(name: "terraform") { id } missing: serviceAccountByName(name: "nope") { id } }`,
        { id: created.data?.id },
        admin(),
      ),
    );
    expect(found).toEqual({ serviceAccount: { name: 'terraform' }, serviceAccountByName: { id: created.data?.id }, missing: null });
    // A person is not a service account.
    const person = ok(await t.gql<{ serviceAccount: null }>(`query($id: ID!) { serviceAccount(id: $id) { id } }`, { id: org.admin.id }, admin()));
    expect(person.serviceAccount).toBeNull();
  });

  it('delete deactivates and revokes its keys; the same name later reactivates the same account without them', async () => {
    const account = (await upsert({ name: 'pipeline', role: 'ANALYST' })).data!;
    const key = await createApiKey(t, admin(), account.id);
    expect(await whoAmI(`Bearer ${key.secret}`)).toEqual({ id: account.id });
    const deleted = ok(await t.gql<{ deleteServiceAccount: { __typename: string } }>(`mutation($id: ID!) { deleteServiceAccount(id: $id) { __typename } }`, { id: account.id }, admin()));
    expect(deleted.deleteServiceAccount.__typename).toBe('MutationDeleteServiceAccountSuccess');
    expect(await whoAmI(`Bearer ${key.secret}`)).toBeNull();
    const gone = ok(await t.gql<{ serviceAccount: null }>(`query($id: ID!) { serviceAccount(id: $id) { id } }`, { id: account.id }, admin()));
    expect(gone.serviceAccount).toBeNull();
    const again = ok(await t.gql<{ deleteServiceAccount: { __typename: string } }>(`mutation($id: ID!) { deleteServiceAccount(id: $id) { __typename } }`, { id: account.id }, admin()));
    expect(again.deleteServiceAccount.__typename).toBe('NotFound');

    const recreated = await upsert({ name: 'pipeline', role: 'REVIEWER' });
    expect(recreated.data).toMatchObject({ id: account.id, role: 'REVIEWER' });
    expect(await whoAmI(`Bearer ${key.secret}`)).toBeNull();
    const events = ok(
      await t.gql<{ auditEvents: { edges: { node: { action: string; metadata: Record<string, unknown> } }[] } }>(
        `query($id: String!) { auditEvents(filter: { targetId: $id }) { edges { node { action metadata } } } }`,
        { id: account.id },
        admin(),
      ),
    );
    expect(events.auditEvents.edges.map((e) => e.node.action)).toEqual(['SERVICE_ACCOUNT_UPDATED', 'SERVICE_ACCOUNT_DELETED', 'SERVICE_ACCOUNT_CREATED']);
    expect(events.auditEvents.edges[0]?.node.metadata).toMatchObject({ reactivated: true, previousRole: 'ANALYST' });
  });

  it('looks user groups and review plans up by name', async () => {
    ok(await t.gql(`mutation { upsertUserGroup(input: { name: "oncall" }) { __typename } upsertReviewPlan(input: { name: "strict" }) { __typename } }`, {}, admin()));
    const found = ok(
      await t.gql<{ userGroupByName: { name: string }; reviewPlanByName: { name: string }; none: null }>(
        `{ userGroupByName(name: "oncall") { name } reviewPlanByName(name: "strict") { name } none: reviewPlanByName(name: "lenient") { name } }`,
        {},
        admin(),
      ),
    );
    expect(found).toEqual({ userGroupByName: { name: 'oncall' }, reviewPlanByName: { name: 'strict' }, none: null });
  });
});
