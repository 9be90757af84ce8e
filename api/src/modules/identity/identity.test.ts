import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApiKey,
  createTestApp,
  createUserWithKey,
  login,
  ok,
  PASSWORD,
  rowCounts,
  setupFirstOrg,
  superuserQuery,
  type Org,
  type TestApp,
} from '../../../test/harness.ts';
import { MAX_FAILURES_PER_EMAIL } from './login-throttle.ts';

let t: TestApp;
let org: Org;

beforeAll(async () => {
  t = await createTestApp();
  org = await setupFirstOrg(t);
});
afterAll(() => t.close());

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { __typename ... on Error { code message } } }`;
const REFRESH = `mutation($token: String!) { refreshSession(refreshToken: $token) {
  __typename ... on MutationRefreshSessionSuccess { data { accessToken refreshToken } } ... on Error { code message } } }`;

describe('sign-in and sessions', () => {
  it('refuses a wrong password or unknown e-mail alike, and audits the failure for a known user', async () => {
    for (const email of ['admin@acme.test', 'nobody@acme.test']) {
      const result = ok(await t.gql<{ login: { __typename: string; message: string } }>(LOGIN, { input: { email, password: 'wrong password!!' } }));
      expect(result.login).toMatchObject({ __typename: 'Unauthenticated', message: 'invalid e-mail or password' });
    }
    const failed = ok(await t.gql<{ auditEvents: { edges: { node: { targetId: string } }[] } }>(
      '{ auditEvents(filter: { action: "USER_LOGIN_FAILED" }) { edges { node { targetId } } } }', undefined, org.admin));
    expect(failed.auditEvents.edges.map((e) => e.node.targetId)).toEqual([org.admin.id]);
  });

  it('locks an e-mail out after repeated failures, even for the right password, and leaves others alone', async () => {
    await createUserWithKey(t, org.admin, 'ANALYST', 'target@acme.test');
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) {
      const attempt = ok(await t.gql<{ login: { __typename: string } }>(LOGIN, { input: { email: 'target@acme.test', password: `guess ${i} guess guess` } }));
      expect(attempt.login.__typename).toBe('Unauthenticated');
    }
    const locked = ok(await t.gql<{ login: { __typename: string; retryAfterSeconds: number } }>(
      `mutation($input: LoginInput!) { login(input: $input) { __typename ... on RateLimited { retryAfterSeconds } } }`,
      { input: { email: 'Target@acme.test', password: PASSWORD } }));
    expect(locked.login.__typename).toBe('RateLimited');
    expect(locked.login.retryAfterSeconds).toBeGreaterThan(0);
    ok(await t.gql('{ me { id } }', undefined, await login(t, 'admin@acme.test')));
  });

  it('signs in case-insensitively by e-mail; stores only a password hash', async () => {
    const session = await login(t, 'ADMIN@Acme.Test');
    ok(await t.gql('{ me { id } }', undefined, session));
    const [row] = await superuserQuery<{ password_hash: string }>(t.databaseUrl!, 'select password_hash from users where id = $1', [org.admin.id]);
    expect(row!.password_hash).toMatch(/^\$argon2id\$/);
    expect(row!.password_hash).not.toContain(PASSWORD);
  });

  it('rotates the refresh token: the new pair works, the old refresh token does not', async () => {
    const session = await login(t, 'admin@acme.test');
    type Refreshed = { refreshSession: { __typename: string; data: { accessToken: string; refreshToken: string } } };
    const refreshed = ok(await t.gql<Refreshed>(REFRESH, { token: session.refreshToken })).refreshSession;
    expect(refreshed.__typename).toBe('MutationRefreshSessionSuccess');
    ok(await t.gql('{ me { id } }', undefined, { authorization: `Bearer ${refreshed.data.accessToken}` }));
    const reused = ok(await t.gql<{ refreshSession: { __typename: string } }>(REFRESH, { token: session.refreshToken })).refreshSession;
    expect(reused.__typename).toBe('Unauthenticated');
    // The same session continues: the old access token is still valid until it expires.
    ok(await t.gql('{ me { id } }', undefined, session));
  });

  it('logout ends the session: its access and refresh tokens stop working', async () => {
    const session = await login(t, 'admin@acme.test');
    ok(await t.gql('mutation { logout { __typename } }', undefined, session));
    expect((await t.gql('{ me { id } }', undefined, session)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const refreshed = ok(await t.gql<{ refreshSession: { __typename: string } }>(REFRESH, { token: session.refreshToken })).refreshSession;
    expect(refreshed.__typename).toBe('Unauthenticated');
  });
});

describe('users', () => {
  it('creates a user who can sign in; a duplicate e-mail is a Conflict, even across organizations', async () => {
    await createUserWithKey(t, org.admin, 'REVIEWER', 'reviewer@acme.test');
    ok(await t.gql('{ me { id } }', undefined, await login(t, 'reviewer@acme.test')));
    const before = await rowCounts(t.databaseUrl!);
    const duplicate = ok(await t.gql<{ createUser: { __typename: string } }>(
      `mutation { createUser(input: { email: "Reviewer@acme.test", password: "${PASSWORD}", displayName: "Again", role: READONLY }) { __typename } }`,
      undefined, org.admin));
    expect(duplicate.createUser.__typename).toBe('Conflict');
    expect(await rowCounts(t.databaseUrl!)).toEqual(before);
  });

  it('changes a role with effect on the very next request', async () => {
    const user = await createUserWithKey(t, org.admin, 'ANALYST', 'promoted@acme.test');
    expect((await t.gql('{ users { edges { node { id } } } }', undefined, user)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    ok(await t.gql('mutation($id: ID!) { updateUser(input: { id: $id, role: ADMIN, attributes: { team: "payments" } }) { __typename } }', { id: user.id }, org.admin));
    const me = ok(await t.gql<{ me: { role: string; attributes: Record<string, string> } }>('{ me { role attributes } }', undefined, user));
    expect(me.me).toEqual({ role: 'ADMIN', attributes: { team: 'payments' } });
    ok(await t.gql('{ users { edges { node { id } } } }', undefined, user));
  });

  it('does not let an admin change their own role or deactivate themselves', async () => {
    const role = ok(await t.gql<{ updateUser: { __typename: string } }>('mutation($id: ID!) { updateUser(input: { id: $id, role: READONLY }) { __typename } }', { id: org.admin.id }, org.admin));
    expect(role.updateUser.__typename).toBe('Conflict');
    const off = ok(await t.gql<{ deactivateUser: { __typename: string } }>('mutation($id: ID!) { deactivateUser(id: $id) { __typename } }', { id: org.admin.id }, org.admin));
    expect(off.deactivateUser.__typename).toBe('Conflict');
  });

  it('deactivation keeps the user and their history, ends their sessions, and can be undone', async () => {
    const user = await createUserWithKey(t, org.admin, 'ANALYST', 'temp@acme.test');
    const session = await login(t, 'temp@acme.test');
    ok(await t.gql('mutation($id: ID!) { deactivateUser(id: $id) { __typename } }', { id: user.id }, org.admin));
    expect((await t.gql('{ me { id } }', undefined, session)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const login2 = ok(await t.gql<{ login: { __typename: string } }>(LOGIN, { input: { email: 'temp@acme.test', password: PASSWORD } }));
    expect(login2.login.__typename).toBe('Forbidden');
    const listed = ok(await t.gql<{ users: { edges: { node: { id: string; active: boolean } }[] } }>(
      '{ users(first: 100, filter: { includeInactive: true }) { edges { node { id active } } } }', undefined, org.admin));
    expect(listed.users.edges.find((e) => e.node.id === user.id)?.node.active).toBe(false);

    ok(await t.gql('mutation($id: ID!) { reactivateUser(id: $id) { __typename } }', { id: user.id }, org.admin));
    ok(await t.gql('{ me { id } }', undefined, user));
  });
});

describe('service accounts and API keys', () => {
  it('a service account acts through an API key, with either header scheme, and cannot sign in', async () => {
    const created = ok(await t.gql<{ createServiceAccount: { data: { id: string; kind: string } } }>(
      'mutation { createServiceAccount(input: { name: "deploy-bot", role: ANALYST }) { ... on MutationCreateServiceAccountSuccess { data { id kind } } } }',
      undefined, org.admin)).createServiceAccount.data;
    expect(created.kind).toBe('SERVICE_ACCOUNT');
    const key = await createApiKey(t, org.admin, created.id);
    expect(key.secret).toMatch(/^af_[A-Za-z0-9_-]{43}$/);
    for (const authorization of [`Bearer ${key.secret}`, `ApiKey ${key.secret}`]) {
      const me = ok(await t.gql<{ me: { id: string; kind: string } }>('{ me { id kind } }', undefined, { authorization }));
      expect(me.me).toEqual({ id: created.id, kind: 'SERVICE_ACCOUNT' });
    }
    const again = ok(await t.gql<{ createServiceAccount: { __typename: string } }>(
      'mutation { createServiceAccount(input: { name: "deploy-bot", role: ANALYST }) { __typename } }', undefined, org.admin));
    expect(again.createServiceAccount.__typename).toBe('Conflict');
  });

  it('stores only a hash and a display prefix, and never returns the secret again', async () => {
    const key = await createApiKey(t, org.admin);
    const [row] = await superuserQuery<{ key_hash: string; prefix: string }>(t.databaseUrl!, 'select key_hash, prefix from api_keys where id = $1', [key.id]);
    expect(row!.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(key.secret.startsWith(row!.prefix)).toBe(true);
    const dump = JSON.stringify(await superuserQuery(t.databaseUrl!, 'select * from api_keys'));
    expect(dump).not.toContain(key.secret);
    const listed = JSON.stringify(await t.gql('{ apiKeys(first: 100) { edges { node { id name prefix } } } }', undefined, org.admin));
    expect(listed).not.toContain(key.secret);
  });

  it("lets anyone mint and revoke their own key but not another user's", async () => {
    const analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'self-service@acme.test');
    const own = await createApiKey(t, analyst);
    ok(await t.gql('{ me { id } }', undefined, { authorization: `Bearer ${own.secret}` }));
    const others = ok(await t.gql<{ createApiKey: { __typename: string } }>(
      'mutation($id: ID!) { createApiKey(input: { name: "x", userId: $id }) { __typename } }', { id: org.admin.id }, analyst));
    expect(others.createApiKey.__typename).toBe('Forbidden');
    const mine = ok(await t.gql<{ apiKeys: { edges: { node: { id: string } }[] } }>('{ apiKeys { edges { node { id } } } }', undefined, analyst));
    expect(mine.apiKeys.edges.map((e) => e.node.id).sort()).toEqual([analyst.apiKeyId, own.id].sort());
    const revoke = 'mutation($id: ID!) { revokeApiKey(id: $id) { __typename ... on MutationRevokeApiKeySuccess { data { revokedAt } } } }';
    const adminKey = await createApiKey(t, org.admin);
    const denied = ok(await t.gql<{ revokeApiKey: { __typename: string } }>(revoke, { id: adminKey.id }, analyst));
    expect(denied.revokeApiKey.__typename).toBe('Forbidden');
    const first = ok(await t.gql<{ revokeApiKey: { data: { revokedAt: string } } }>(revoke, { id: own.id }, analyst));
    const second = ok(await t.gql<{ revokeApiKey: { data: { revokedAt: string } } }>(revoke, { id: own.id }, analyst));
    expect(second.revokeApiKey.data.revokedAt).toBe(first.revokeApiKey.data.revokedAt);
  });

  it('refuses an expiry in the past', async () => {
    const result = ok(await t.gql<{ createApiKey: { __typename: string } }>(
      'mutation { createApiKey(input: { name: "old", expiresAt: "2000-01-01T00:00:00Z" }) { __typename } }', undefined, org.admin));
    expect(result.createApiKey.__typename).toBe('ValidationError');
  });
});

describe('user groups', () => {
  it('upserts by name, replacing members, and deletes', async () => {
    const a = await createUserWithKey(t, org.admin, 'REVIEWER', 'group-a@acme.test');
    const b = await createUserWithKey(t, org.admin, 'REVIEWER', 'group-b@acme.test');
    const upsert = 'mutation($input: UpsertUserGroupInput!) { upsertUserGroup(input: $input) { __typename ... on MutationUpsertUserGroupSuccess { data { id name description memberIds } } ... on Error { message } } }';
    type Upserted = { upsertUserGroup: { __typename: string; data: { id: string; memberIds: string[]; description: string | null } } };
    const created = ok(await t.gql<Upserted>(upsert, { input: { name: 'dba', description: 'Database admins', memberIds: [a.id, b.id] } }, org.admin)).upsertUserGroup.data;
    expect([...created.memberIds].sort()).toEqual([a.id, b.id].sort());
    const updated = ok(await t.gql<Upserted>(upsert, { input: { name: 'dba', memberIds: [b.id] } }, org.admin)).upsertUserGroup.data;
    expect(updated).toMatchObject({ id: created.id, memberIds: [b.id], description: 'Database admins' });
    const unknown = ok(await t.gql<Upserted>(upsert, { input: { name: 'dba', memberIds: ['00000000-0000-4000-8000-000000000000'] } }, org.admin));
    expect(unknown.upsertUserGroup.__typename).toBe('ValidationError');

    const deleted = ok(await t.gql<{ deleteUserGroup: { __typename: string; data: string } }>(
      'mutation($id: ID!) { deleteUserGroup(id: $id) { __typename ... on MutationDeleteUserGroupSuccess { data } } }', { id: created.id }, org.admin));
    expect(deleted.deleteUserGroup.data).toBe(created.id);
    expect(ok(await t.gql<{ userGroup: null }>('query($id: ID!) { userGroup(id: $id) { id } }', { id: created.id }, org.admin)).userGroup).toBeNull();
  });
});
