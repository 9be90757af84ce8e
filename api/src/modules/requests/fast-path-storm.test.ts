/**
 * The fast path of auto-approved reads under load from two replicas at once: reads recorded without the chain lock
 * race each other, the locking path, writes held for review and configuration changes. Whatever interleaving the
 * store produces, every request is recorded exactly once with its whole trail, the audit log has no gap or fork,
 * and it verifies.
 */
import { randomBytes } from 'node:crypto';
import { inject, afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createPostgresDatabase } from '../../../test/servers.ts';
import { createTestApp, createUserWithKey, ok, setupFirstOrg, superuserQuery, type Caller, type Org, type TestApp } from '../../../test/harness.ts';
import { postgresDatasource, workflow } from './requests.fixture.ts';

const KEYS = {
  JWT_SIGNING_KEY: randomBytes(32).toString('hex'),
  AUDIT_HMAC_KEY: randomBytes(32).toString('hex'),
  ENCRYPTION_KEY: randomBytes(32).toString('hex'),
};
const READS_PER_REPLICA = 20;
const WRITES = 6;
const CHANGES = 4;

let t: TestApp;
let replica: TestApp;
let org: Org;
let datasourceId: string;
let analyst: Caller & { id: string };

beforeAll(async () => {
  t = await createTestApp({ env: KEYS });
  org = await setupFirstOrg(t);
  replica = await createTestApp({ env: { ...KEYS, DATABASE_URL: t.databaseUrl! } });
  const { createDatasource, mutate } = workflow(t, () => datasourceId);
  const targetUrl = await createPostgresDatabase(inject('postgresUrl'));
  await superuserQuery(targetUrl, "create table customers (id int primary key, name text, email text); insert into customers select i, 'n' || i, 'p' || i || '@example.com' from generate_series(1, 50) i");
  datasourceId = await createDatasource(postgresDatasource(targetUrl, { name: 'crm' }), org.admin);
  analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'analyst@acme.test');
  await mutate('upsertGrant', 'mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }',
    { input: { datasourceId, userId: analyst.id, canRead: true, canWrite: true, allowedSchemas: ['public'] } }, org.admin);
});
const requestCount = async () => (await superuserQuery<{ n: number }>(t.databaseUrl!, 'select count(*)::int as n from query_requests'))[0]!.n;

afterAll(async () => {
  await replica?.close();
  await t?.close();
});

it('records every request once, with its whole trail, in one unbroken chain', async () => {
  const here = workflow(t, () => datasourceId);
  const there = workflow(replica, () => datasourceId);
  // Warm both replicas' caches, so the storm takes the unlocked path where it can.
  for (const side of [here, there]) expect((await side.submit('select id from customers where id = 1', analyst, { execute: true })).data).toMatchObject({ status: 'EXECUTED' });
  const requestsBefore = await requestCount();

  const reads = (side: typeof here) =>
    Array.from({ length: READS_PER_REPLICA }, (_, i) => side.submit(`select id, email from customers where id = ${i + 1}`, analyst, { execute: true }));
  const writes = Array.from({ length: WRITES }, (_, i) => (i % 2 ? here : there).submit(`update customers set name = name where id = ${i + 1}`, analyst));
  const changes = Array.from({ length: CHANGES }, (_, i) =>
    (i % 2 ? here : there).mutate('upsertMaskingPolicy', 'mutation($input: UpsertMaskingPolicyInput!) { upsertMaskingPolicy(input: $input) { __typename ... on Error { message } } }',
      { input: { datasourceId, columnRef: `public.customers.c${i}`, strategy: 'FULL' } }, org.admin));
  const unlocked = [vi.spyOn(t.app.services.store, 'pipelined'), vi.spyOn(replica.app.services.store, 'pipelined')];
  const [readsHere, readsThere, written, changed] = await Promise.all([Promise.all(reads(here)), Promise.all(reads(there)), Promise.all(writes), Promise.all(changes)]);
  // The unlocked record was tried on both replicas during the storm (whether each attempt stood or fell back).
  expect(unlocked.map((spy) => spy.mock.calls.length > 0)).toEqual([true, true]);
  for (const spy of unlocked) spy.mockRestore();

  for (const read of [...readsHere, ...readsThere]) expect(read.data, JSON.stringify(read)).toMatchObject({ status: 'EXECUTED' });
  for (const write of written) expect(write.data).toMatchObject({ status: 'PENDING_REVIEW' });
  for (const change of changed) expect(change.__typename).toBe('MutationUpsertMaskingPolicySuccess');
  // Every answer is its own statement's (the policies changed mask columns the reads do not return).
  [...readsHere, ...readsThere].forEach((read, i) => {
    const id = (i % READS_PER_REPLICA) + 1;
    expect(read.data!.result!.rows).toEqual([[id, `p${id}@example.com`]]);
  });

  const ids = [...readsHere, ...readsThere, ...written].map((r) => r.data!.id);
  const requestsAfter = await requestCount();
  expect(requestsAfter - requestsBefore).toBe(ids.length);
  const trails = await superuserQuery<{ target_id: string; actions: string[] }>(t.databaseUrl!,
    'select target_id, array_agg(action order by seq) as actions from audit_events where target_id = any($1::text[]) group by target_id', [ids]);
  const byRequest = new Map(trails.map((row) => [row.target_id, row.actions]));
  for (const read of [...readsHere, ...readsThere]) {
    expect(byRequest.get(read.data!.id)).toEqual(['QUERY_SUBMITTED', 'QUERY_ANALYZED', 'QUERY_APPROVED', 'QUERY_EXECUTION_STARTED', 'QUERY_EXECUTED']);
  }
  for (const write of written) expect(byRequest.get(write.data!.id)).toEqual(['QUERY_SUBMITTED', 'QUERY_ANALYZED', 'QUERY_REVIEW_REQUIRED']);

  // One chain: sequence numbers 1…n without gap or repeat, each event linked to the one before it.
  const [{ count, distinct_seqs, max_seq, min_seq }] = (await superuserQuery<{ count: number; distinct_seqs: number; max_seq: number; min_seq: number }>(t.databaseUrl!,
    'select count(*)::int as count, count(distinct seq)::int as distinct_seqs, max(seq)::int as max_seq, min(seq)::int as min_seq from audit_events where organization_id = $1', [org.orgId])) as [{ count: number; distinct_seqs: number; max_seq: number; min_seq: number }];
  expect([distinct_seqs, max_seq - min_seq + 1]).toEqual([count, count]);
  const chain = ok(await t.gql<{ verifyAuditChain: { ok: boolean; checked: number } }>('{ verifyAuditChain { ok checked } }', undefined, org.admin));
  expect(chain.verifyAuditChain).toEqual({ ok: true, checked: count });
});
