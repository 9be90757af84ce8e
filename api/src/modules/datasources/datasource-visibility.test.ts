/**
 * Datasources as their readers see them. Who sees which datasource: admins every one, everyone else those they hold a live grant on — asked by id, by
 * name or in a list, a datasource without a grant is simply not there (never another one in its place).
 */
import { inject, afterAll, beforeAll, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../../test/servers.ts';
import { createTestApp, createUserWithKey, ok, setupFirstOrg, type Caller, type Org, type TestApp } from '../../../test/harness.ts';
import { workflow } from '../requests/requests.fixture.ts';

let t: TestApp;
let org: Org;
let analyst: Caller & { id: string };
const ids: Record<string, string> = {};
let { mutate } = {} as ReturnType<typeof workflow>;

beforeAll(async () => {
  t = await createTestApp();
  ({ mutate } = workflow(t, () => ''));
  org = await setupFirstOrg(t);
  const url = new URL(await createPostgresDatabase(inject('postgresUrl')));
  for (const name of ['granted', 'secret']) {
    ids[name] = (await mutate<{ id: string }>('upsertDatasource',
      `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename ... on MutationUpsertDatasourceSuccess { data { id } } ... on Error { message } } }`,
      { input: { name, dbType: 'POSTGRESQL', host: url.hostname, port: Number(url.port), databaseName: url.pathname.slice(1), username: 'postgres', password: 'unused-with-trust' } },
      org.admin)).data!.id;
  }
  analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'analyst@acme.test');
  await mutate('upsertGrant', 'mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }', { input: { datasourceId: ids['granted'], userId: analyst.id } }, org.admin);
});
afterAll(() => t.close());

it('answers null for a datasource without a grant, by id and by name, and lists only granted ones', async () => {
  const read = async (caller: Caller) =>
    ok(await t.gql<{ byId: { name: string } | null; byName: { name: string } | null; list: { edges: { node: { name: string } }[] } }>(
      'query($id: ID!) { byId: datasource(id: $id) { name } byName: datasourceByName(name: "secret") { name } list: datasources { edges { node { name } } } }',
      { id: ids['secret'] }, caller));
  expect(await read(analyst)).toEqual({ byId: null, byName: null, list: { edges: [{ node: { name: 'granted' } }] } });
  // The service itself, as every module calls it: never a granted datasource in place of the one asked for.
  const actor = { userId: analyst.id, orgId: org.orgId, email: 'analyst@acme.test', role: 'ANALYST' as const, kind: 'HUMAN' as const, platformAdmin: false, via: 'API_KEY' as const, sessionId: null, apiKeyId: null };
  expect(await t.app.services.datasources.get(actor, ids['secret']!)).toBeNull();
  expect((await t.app.services.datasources.get(actor, ids['granted']!))?.name).toBe('granted');
  const admin = await read(org.admin);
  expect(admin.byId).toEqual({ name: 'secret' });
  expect(admin.list.edges.map((e) => e.node.name)).toEqual(['granted', 'secret']);
});

it('reports a connection test with its latency in whole milliseconds', async () => {
  const tested = await mutate<{ ok: boolean; latencyMs: number }>('testDatasourceConnection',
    'mutation($id: ID!) { testDatasourceConnection(id: $id) { __typename ... on MutationTestDatasourceConnectionSuccess { data { ok latencyMs } } ... on Error { message } } }',
    { id: ids['granted'] }, org.admin);
  expect(tested.data!.ok).toBe(true);
  expect(Number.isInteger(tested.data!.latencyMs)).toBe(true);
});
