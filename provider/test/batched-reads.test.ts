/**
 * The provider refreshes by sending many `<x>(id)` aliases in one GraphQL document (src/graphql-client.ts). For
 * that to cost one store transaction instead of one per alias, every resource's get-by-id field must be loadable
 * on the server: checked here for every resource the generator derives, against the real server. A refresh of more
 * objects than one batch reads the type's list instead: checked for its request count, results and staleness.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ok } from '../../api/test/harness.ts';
import type { Store } from '../../api/src/store/store.ts';
import { GraphQLClient } from '../src/graphql-client.ts';
import { RESOURCES } from '../src/generated/resources.ts';
import { selectionOf } from '../src/tf-schema.ts';
import { startServer, type Server } from './fixtures.ts';

describe('batched refresh reads', () => {
  let server: Server;
  let tenantCalls: ReturnType<typeof vi.spyOn>;

  beforeAll(async () => {
    server = await startServer();
    // Every service shares the app's one store.
    const store = (server.t.app.services.groups as unknown as { store: Store }).store;
    tenantCalls = vi.spyOn(store, 'tenant');
  });
  afterAll(async () => {
    tenantCalls?.mockRestore();
    await server?.close();
  });

  /** Store transactions opened for one document of `count` aliases of `get(id)`. */
  async function transactionsFor(get: string, count: number): Promise<number> {
    const ids = Array.from({ length: count }, () => randomUUID());
    const document = `query(${ids.map((_, i) => `$id${i}: ID!`).join(', ')}) { ${ids.map((_, i) => `r${i}: ${get}(id: $id${i}) { id }`).join(' ')} }`;
    tenantCalls.mockClear();
    const data = ok(await server.t.gql<Record<string, unknown>>(document, Object.fromEntries(ids.map((id, i) => [`id${i}`, id])), { authorization: server.org.admin.authorization }));
    expect(Object.values(data)).toEqual(ids.map(() => null));
    return tenantCalls.mock.calls.length;
  }

  it.each(RESOURCES.map((r) => [r.typeName, r.get]))('%s: five aliases of %s(id) cost the store transactions of one', async (_type, get) => {
    const one = await transactionsFor(get, 1);
    expect(one).toBeGreaterThan(0);
    expect(await transactionsFor(get, 5)).toBe(one);
  });

  it('refreshes many objects of one type with a few list pages, identical to reading each by id, and never stale after a write', async () => {
    const group = RESOURCES.find((r) => r.typeName === 'accessflow_user_group');
    if (!group?.list) throw new Error('accessflow_user_group has no list query');
    const selection = selectionOf(group);
    const admin = { authorization: server.org.admin.authorization };
    const ids: string[] = [];
    for (let i = 0; i < 130; i++) {
      const created = ok(await server.t.gql<{ upsertUserGroup: { data: { id: string } } }>(
        `mutation($name: String!) { upsertUserGroup(input: { name: $name, description: "listed" }) { ... on MutationUpsertUserGroupSuccess { data { id } } } }`,
        { name: `listed-${i}` },
        admin,
      ));
      ids.push(created.upsertUserGroup.data.id);
    }
    ok(await server.t.gql(`mutation($id: ID!) { deleteUserGroup(id: $id) { __typename } }`, { id: ids[129] }, admin));

    const client = new GraphQLClient(server.endpoint, server.apiKey);
    const requests = vi.spyOn(client as unknown as { request: GraphQLClient['request'] }, 'request');
    const refreshed = await Promise.all(ids.map((id) => client.refresh(group.get, group.list, selection, id)));
    const expected = await Promise.all(ids.map((id) => new GraphQLClient(server.endpoint, server.apiKey).read(group.get, selection, id)));
    expect(refreshed).toEqual(expected);
    expect(refreshed.at(-1)).toBeNull();
    expect(refreshed.filter((node) => node !== null)).toHaveLength(129);
    // One batch by id, two list pages, and the deleted one confirmed by id: not 13 batches.
    expect(requests.mock.calls.length).toBeLessThanOrEqual(5);

    // A write through the client drops the snapshot: the next refresh sees a change made elsewhere meanwhile.
    ok(await server.t.gql(`mutation { upsertUserGroup(input: { name: "listed-15", description: "changed elsewhere" }) { __typename } }`, {}, admin));
    await client.mutate('upsertUserGroup', '$input: UpsertUserGroupInput!', 'id', { input: { name: 'listed-6', description: 'listed' } });
    const again = await Promise.all(ids.slice(0, 20).map((id) => client.refresh(group.get, group.list, selection, id)));
    expect(again[15]?.['description']).toBe('changed elsewhere');
  });
});
