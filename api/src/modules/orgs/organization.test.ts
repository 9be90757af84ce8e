import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, createTestApp, createUserWithKey, ok, PASSWORD, rowCounts, setupFirstOrg, type Org, type TestApp } from '../../../test/harness.ts';

const SETUP = `mutation($input: SetupInput!) { setup(input: $input) { __typename ... on Error { code message } } }`;
const setupInput = (token: string) => ({
  setupToken: token,
  organizationName: 'Acme',
  email: 'admin@acme.test',
  password: PASSWORD,
  displayName: 'Admin',
});

describe('first-run setup', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('refuses a wrong setup token with Forbidden and writes nothing', async () => {
    const before = await rowCounts(t.databaseUrl!);
    const data = ok(await t.gql<{ setup: { __typename: string; code: string } }>(SETUP, { input: setupInput('not-the-token-at-all') }));
    expect(data.setup).toMatchObject({ __typename: 'Forbidden', code: 'FORBIDDEN' });
    expect(await rowCounts(t.databaseUrl!)).toEqual(before);
    expect(ok(await t.gql<{ setupRequired: boolean }>('{ setupRequired }')).setupRequired).toBe(true);
  });

  it('rejects invalid input with ValidationError naming the fields, and writes nothing', async () => {
    const before = await rowCounts(t.databaseUrl!);
    const data = ok(
      await t.gql<{ setup: { __typename: string; issues: { path: string }[] } }>(
        `mutation($input: SetupInput!) { setup(input: $input) { __typename ... on ValidationError { issues { path message } } } }`,
        { input: { ...setupInput(t.setupToken), email: 'not-an-email', password: 'short' } },
      ),
    );
    expect(data.setup.__typename).toBe('ValidationError');
    expect(data.setup.issues.map((issue) => issue.path)).toContain('input.email');
    expect(await rowCounts(t.databaseUrl!)).toEqual(before);
  });

  it('creates the organization and a platform admin, then refuses a second setup with Conflict', async () => {
    const org = await setupFirstOrg(t);
    const me = ok(
      await t.gql<{ me: { role: string; platformAdmin: boolean; organization: { name: string } } }>(
        '{ me { role platformAdmin organization { name } } }',
        undefined,
        org.admin,
      ),
    );
    expect(me.me).toEqual({ role: 'ADMIN', platformAdmin: true, organization: { name: 'Acme' } });
    expect(ok(await t.gql<{ setupRequired: boolean }>('{ setupRequired }')).setupRequired).toBe(false);

    const before = await rowCounts(t.databaseUrl!);
    const again = ok(await t.gql<{ setup: { __typename: string } }>(SETUP, { input: { ...setupInput(t.setupToken), organizationName: 'Other' } }));
    expect(again.setup.__typename).toBe('Conflict');
    expect(await rowCounts(t.databaseUrl!)).toEqual(before);
  });
});

describe('organizations, quotas and the disable switch', () => {
  let t: TestApp;
  let first: Org;
  let second: Org;
  beforeAll(async () => {
    t = await createTestApp();
    first = await setupFirstOrg(t);
    second = await createOrg(t, first.admin, 'Globex', 'admin@globex.test');
  });
  afterAll(() => t.close());

  const UPDATE = `mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) {
    __typename ... on MutationUpdateOrganizationSuccess { data { id disabled maxUsers } } ... on Error { code message } } }`;

  it('lists organizations for a platform admin only', async () => {
    const list = ok(await t.gql<{ organizations: { edges: { node: { name: string } }[] } }>('{ organizations { edges { node { name } } } }', undefined, first.admin));
    expect(list.organizations.edges.map((e) => e.node.name)).toEqual(['Acme', 'Globex']);
    const denied = await t.gql('{ organizations { edges { node { name } } } }', undefined, second.admin);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('enforces maxUsers with QUOTA_EXCEEDED naming the limit', async () => {
    ok(await t.gql(UPDATE, { input: { id: second.orgId, maxUsers: 2 } }, first.admin));
    await createUserWithKey(t, second.admin, 'ANALYST', 'analyst@globex.test');
    const over = ok(
      await t.gql<{ createUser: { __typename: string; limit: string; max: number } }>(
        `mutation($input: CreateUserInput!) { createUser(input: $input) { __typename ... on QuotaExceeded { limit max } } }`,
        { input: { email: 'third@globex.test', password: PASSWORD, displayName: 'Third', role: 'READONLY' } },
        second.admin,
      ),
    );
    expect(over.createUser).toEqual({ __typename: 'QuotaExceeded', limit: 'maxUsers', max: 2 });
    ok(await t.gql(UPDATE, { input: { id: second.orgId, maxUsers: 0 } }, first.admin));
  });

  it('refuses every request of a disabled organization at once, and admits it again when enabled', async () => {
    const analyst = await createUserWithKey(t, second.admin, 'ANALYST', 'analyst2@globex.test');
    ok(await t.gql('{ me { id } }', undefined, analyst));
    ok(await t.gql(UPDATE, { input: { id: second.orgId, disabled: true } }, first.admin));

    const before = await rowCounts(t.databaseUrl!);
    for (const caller of [analyst, second.admin]) {
      const refused = await t.gql('{ me { id } }', undefined, caller);
      expect(refused.errors?.[0]).toMatchObject({ message: 'this organization is disabled', extensions: { code: 'FORBIDDEN' } });
    }
    const login = ok(
      await t.gql<{ login: { __typename: string; message: string } }>(
        `mutation { login(input: { email: "admin@globex.test", password: "${PASSWORD}" }) { __typename ... on Error { message } } }`,
      ),
    );
    expect(login.login).toEqual({ __typename: 'Forbidden', message: 'this organization is disabled' });
    expect(await rowCounts(t.databaseUrl!)).toEqual(before);

    ok(await t.gql(UPDATE, { input: { id: second.orgId, disabled: false } }, first.admin));
    ok(await t.gql('{ me { id } }', undefined, analyst));
  });

  it('does not let a platform admin disable their own organization', async () => {
    const result = ok(await t.gql<{ updateOrganization: { __typename: string } }>(UPDATE, { input: { id: first.orgId, disabled: true } }, first.admin));
    expect(result.updateOrganization.__typename).toBe('Conflict');
  });

  it('audits organization changes in the target organization chain', async () => {
    const events = ok(
      await t.gql<{ auditEvents: { edges: { node: { action: string; actorId: string } }[] } }>(
        '{ auditEvents(first: 50, filter: { targetType: "Organization" }) { edges { node { action actorId } } } }',
        undefined,
        second.admin,
      ),
    );
    const actions = events.auditEvents.edges.map((e) => e.node.action);
    expect(actions).toEqual(['ORGANIZATION_ENABLED', 'ORGANIZATION_DISABLED', 'ORGANIZATION_UPDATED', 'ORGANIZATION_UPDATED', 'ORGANIZATION_CREATED']);
    expect(new Set(events.auditEvents.edges.map((e) => e.node.actorId))).toEqual(new Set([first.admin.id]));
  });
});
