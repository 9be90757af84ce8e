/**
 * Malformed and hostile requests: each gets a clear typed error, and no table changes.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createApiKey,
  createTestApp,
  createUserWithKey,
  login,
  ok,
  rowCounts,
  setupFirstOrg,
  superuserQuery,
  type Org,
  type TestApp,
} from '../../test/harness.ts';

let t: TestApp;
let org: Org;
let before: Record<string, number>;

beforeAll(async () => {
  t = await createTestApp({ env: { MAX_BODY_BYTES: '4096', GRAPHQL_MAX_DEPTH: '5', GRAPHQL_MAX_ALIASES: '5', GRAPHQL_MAX_COST: '300' } });
  org = await setupFirstOrg(t);
});
afterAll(() => t.close());

async function expectNothingChanged() {
  expect(await rowCounts(t.databaseUrl!)).toEqual(before);
}

const post = (body: string, headers: Record<string, string> = {}) =>
  t.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('malformed requests', () => {
  beforeEach(async () => {
    before = await rowCounts(t.databaseUrl!);
  });

  it('malformed JSON → 400 BAD_REQUEST', async () => {
    const response = await post('{"query": "mutation { logout }"', { authorization: org.admin.authorization });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
    await expectNothingChanged();
  });

  it('a GraphQL syntax error → 400 with the parser message', async () => {
    const response = await post(JSON.stringify({ query: 'mutation { createUser(input: { ' }), {
      authorization: org.admin.authorization,
      accept: 'application/graphql-response+json',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/^Syntax Error/);
    await expectNothingChanged();
  });

  it('an oversize body → 413 PAYLOAD_TOO_LARGE, with or without Content-Length', async () => {
    const big = JSON.stringify({ query: '{ me { id } }', variables: { pad: 'x'.repeat(10_000) } });
    const declared = await post(big, { authorization: org.admin.authorization });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');

    const streamed = await t.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: org.admin.authorization },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(big));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    await expectNothingChanged();
  });

  it('a too-deep query is refused before it runs', async () => {
    const deep = '{ apiKeys { edges { node { user { organization { id } } } } } }';
    const result = await t.gql(deep, undefined, org.admin);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.message).toMatch(/depth limit/i);
    await expectNothingChanged();
  });

  it('too many aliases are refused before anything runs', async () => {
    const aliases = Array.from({ length: 8 }, (_, i) => `a${i}: logout`).join(' ');
    const result = await t.gql(`mutation { ${aliases} }`, undefined, org.admin);
    expect(result.errors?.[0]?.message).toMatch(/aliases/i);
    await expectNothingChanged();
  });

  it('a too-costly query is refused before it runs', async () => {
    const fields = Array.from({ length: 4 }, () => 'users(first: 100) { edges { node { id email role organization { id name } } } }');
    const result = await t.gql(`{ ${fields.map((f, i) => `u${i}: ${f}`).join(' ')} }`, undefined, org.admin);
    expect(result.errors?.[0]?.message).toMatch(/cost/i);
    await expectNothingChanged();
  });

  it('wrong argument types are refused by validation', async () => {
    const result = await t.gql('mutation { deactivateUser(id: 42.5) { __typename } }', undefined, org.admin);
    expect(result.errors?.[0]?.message).toMatch(/ID cannot represent|Expected value of type/);
    const variables = await t.gql('mutation($id: ID!) { deactivateUser(id: $id) { __typename } }', { id: { not: 'an id' } }, org.admin);
    expect(variables.errors?.[0]?.message).toMatch(/Variable "\$id"/);
    const notUuid = ok(await t.gql<{ deactivateUser: { __typename: string } }>('mutation { deactivateUser(id: "../../etc/passwd") { __typename } }', undefined, org.admin));
    expect(notUuid.deactivateUser.__typename).toBe('ValidationError');
    await expectNothingChanged();
  });
});

describe('bad credentials', () => {
  const me = '{ me { id } }';
  const expectUnauthenticated = async (authorization: string, message: RegExp) => {
    before = await rowCounts(t.databaseUrl!);
    const result = await t.gql(me, undefined, { authorization });
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.errors?.[0]?.message).toMatch(message);
    await expectNothingChanged();
  };

  it('a malformed Authorization header', async () => {
    await expectUnauthenticated('Basic dXNlcjpwYXNz', /malformed Authorization header/);
  });

  it('a forged access token (signed with another key)', async () => {
    const forged = await new SignJWT({ org: org.orgId, sid: org.admin.id })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(org.admin.id)
      .setIssuer('accessflow')
      .setAudience('accessflow-api')
      .setExpirationTime('10m')
      .sign(randomBytes(32));
    await expectUnauthenticated(`Bearer ${forged}`, /not valid/);
  });

  it('an unsigned ("alg": "none") token', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: org.admin.id, org: org.orgId, sid: org.admin.id, iss: 'accessflow', aud: 'accessflow-api', exp: 4102444800 })).toString('base64url');
    await expectUnauthenticated(`Bearer ${header}.${payload}.`, /not valid/);
  });

  it('an expired access token', async () => {
    const key = Buffer.from(t.config.keys.jwtSigning!, 'hex');
    const expired = await new SignJWT({ org: org.orgId, sid: randomBytes(16).toString('hex') })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(org.admin.id)
      .setIssuer('accessflow')
      .setAudience('accessflow-api')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(key);
    await expectUnauthenticated(`Bearer ${expired}`, /expired/);
  });

  it('an access token of a session that was logged out', async () => {
    const session = await login(t, 'admin@acme.test');
    ok(await t.gql('mutation { logout { __typename } }', undefined, session));
    await expectUnauthenticated(session.authorization, /session has ended/);
  });

  it('an unknown, a revoked and an expired API key', async () => {
    await expectUnauthenticated(`Bearer af_${randomBytes(32).toString('base64url')}`, /not recognised/);
    const user = await createUserWithKey(t, org.admin, 'ANALYST', 'keys@acme.test');
    ok(await t.gql('mutation($id: ID!) { revokeApiKey(id: $id) { __typename } }', { id: user.apiKeyId }, org.admin));
    await expectUnauthenticated(user.authorization, /revoked/);
    await expectUnauthenticated(user.authorization.replace('Bearer', 'ApiKey'), /revoked/);

    const soon = await createApiKey(t, org.admin, user.id, new Date(Date.now() + 60_000));
    await superuserQuery(t.databaseUrl!, `update api_keys set expires_at = now() - interval '1 second' where id = $1`, [soon.id]);
    await expectUnauthenticated(`Bearer ${soon.secret}`, /expired/);
  });

  it('the API key of a deactivated user', async () => {
    const user = await createUserWithKey(t, org.admin, 'ANALYST', 'leaver@acme.test');
    ok(await t.gql('{ me { id } }', undefined, user));
    ok(await t.gql('mutation($id: ID!) { deactivateUser(id: $id) { __typename } }', { id: user.id }, org.admin));
    await expectUnauthenticated(user.authorization, /deactivated/);
  });
});
