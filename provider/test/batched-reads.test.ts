/**
 * The provider refreshes by sending many `<x>(id)` aliases in one GraphQL document (src/graphql-client.ts). For
 * that to cost one store transaction instead of one per alias, every resource's get-by-id field must be loadable
 * on the server: checked here for every resource the generator derives, against the real server.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ok } from '../../api/test/harness.ts';
import type { Store } from '../../api/src/store/store.ts';
import { RESOURCES } from '../src/generated/resources.ts';
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
});
