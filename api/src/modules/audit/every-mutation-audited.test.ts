/**
 * Every mutation of the schema, run once successfully, appends at least one audit event. A mutation added to
 * the schema without a step here fails the first test, so new mutations cannot skip the audit log.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiKey, createTestApp, createUserWithKey, login, ok, PASSWORD, superuserQuery, type TestApp } from '../../../test/harness.ts';
import { getSchema } from '../../graphql/schema.ts';

let t: TestApp;
const auditCount = async () => Number((await superuserQuery<{ n: string }>(t.databaseUrl!, 'select count(*) as n from audit_events'))[0]!.n);

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

it('audits every mutation', async () => {
  const mutations = Object.keys(getSchema().getMutationType()!.getFields()).sort();
  const ids: Record<string, string> = {};
  const auth = () => ({ authorization: ids['adminAuth']! });
  const call = async (query: string, variables?: Record<string, unknown>, caller = auth()) => {
    const data = ok(await t.gql<Record<string, { __typename: string; message?: string; data?: unknown }>>(query, variables, caller));
    const result = Object.values(data)[0]!;
    if (!result.__typename.endsWith('Success')) throw new Error(`${query}: ${result.__typename} ${result.message}`);
    return result.data;
  };
  const steps: Record<string, () => Promise<unknown>> = {
    setup: async () => {
      const data = ok(await t.gql<{ setup: { data: { accessToken: string; user: { id: string } } } }>(
        `mutation($input: SetupInput!) { setup(input: $input) { ... on MutationSetupSuccess { data { accessToken user { id } } } } }`,
        { input: { setupToken: t.setupToken, organizationName: 'Acme', email: 'admin@acme.test', password: PASSWORD, displayName: 'Admin' } }));
      ids['adminAuth'] = `Bearer ${data.setup.data.accessToken}`;
    },
    login: () => call(`mutation { login(input: { email: "admin@acme.test", password: "${PASSWORD}" }) { __typename ... on MutationLoginSuccess { data { refreshToken } } } }`, undefined, {} as never)
      .then((d) => (ids['refresh'] = (d as { refreshToken: string }).refreshToken)),
    refreshSession: () => call(`mutation($t: String!) { refreshSession(refreshToken: $t) { __typename } }`, { t: ids['refresh'] }, {} as never),
    logout: async () => call('mutation { logout { __typename } }', undefined, await login(t, 'admin@acme.test')),
    createUser: async () => (ids['user'] = (await createUserWithKey(t, auth(), 'ANALYST', 'analyst@acme.test')).id),
    updateUser: () => call('mutation($id: ID!) { updateUser(input: { id: $id, displayName: "Renamed" }) { __typename } }', { id: ids['user'] }),
    deactivateUser: () => call('mutation($id: ID!) { deactivateUser(id: $id) { __typename } }', { id: ids['user'] }),
    reactivateUser: () => call('mutation($id: ID!) { reactivateUser(id: $id) { __typename } }', { id: ids['user'] }),
    createServiceAccount: () => call('mutation { createServiceAccount(input: { name: "bot", role: ANALYST }) { __typename } }'),
    createApiKey: async () => (ids['key'] = (await createApiKey(t, auth())).id),
    revokeApiKey: () => call('mutation($id: ID!) { revokeApiKey(id: $id) { __typename } }', { id: ids['key'] }),
    upsertUserGroup: () => call('mutation { upsertUserGroup(input: { name: "g" }) { __typename ... on MutationUpsertUserGroupSuccess { data { id } } } }')
      .then((d) => (ids['group'] = (d as { id: string }).id)),
    deleteUserGroup: () => call('mutation($id: ID!) { deleteUserGroup(id: $id) { __typename } }', { id: ids['group'] }),
    createOrganization: () => call(`mutation { createOrganization(input: { name: "Globex", admin: { email: "a@globex.test", password: "${PASSWORD}", displayName: "A" } }) {
      __typename ... on MutationCreateOrganizationSuccess { data { id } } } }`).then((d) => (ids['org'] = (d as { id: string }).id)),
    updateOrganization: () => call('mutation($id: ID!) { updateOrganization(input: { id: $id, maxUsers: 5 }) { __typename } }', { id: ids['org'] }),
    exportAuditEvents: () => call('mutation { exportAuditEvents { __typename } }'),
  };
  expect(Object.keys(steps).sort()).toEqual(mutations);

  const unaudited: string[] = [];
  for (const [name, step] of Object.entries(steps)) {
    const before = await auditCount();
    await step();
    if ((await auditCount()) <= before) unaudited.push(name);
  }
  expect(unaudited).toEqual([]);
});
