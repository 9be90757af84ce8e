import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, createTestApp, ok, setupFirstOrg, superuserQuery, type Org, type TestApp } from '../../../test/harness.ts';

let t: TestApp;
let platform: Org;

beforeAll(async () => {
  t = await createTestApp();
  platform = await setupFirstOrg(t);
});
afterAll(() => t.close());

interface Verification {
  ok: boolean;
  checked: number;
  firstBrokenEventId: string | null;
  firstBrokenSeq: number | null;
  reason: string | null;
}

const verify = async (org: Org) =>
  ok(await t.gql<{ verifyAuditChain: Verification }>('{ verifyAuditChain { ok checked firstBrokenEventId firstBrokenSeq reason } }', undefined, org.admin))
    .verifyAuditChain;

/** A fresh organization with a few more events than creation gives it; returns the org and its events oldest first. */
async function orgWithEvents(name: string): Promise<{ org: Org; events: { id: string; seq: number }[] }> {
  const org = await createOrg(t, platform.admin, name, `admin@${name.toLowerCase()}.test`);
  for (const group of ['one', 'two', 'three']) {
    ok(await t.gql(`mutation { upsertUserGroup(input: { name: "${group}" }) { __typename } }`, undefined, org.admin));
  }
  const rows = await superuserQuery<{ id: string; seq: string }>(
    t.databaseUrl!,
    'select id, seq from audit_events where organization_id = $1 order by seq',
    [org.orgId],
  );
  return { org, events: rows.map((r) => ({ id: r.id, seq: Number(r.seq) })) };
}

describe('audit chain', () => {
  it('records every change of this suite and verifies clean', async () => {
    const { org, events } = await orgWithEvents('Clean');
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(await verify(org)).toEqual({ ok: true, checked: events.length, firstBrokenEventId: null, firstBrokenSeq: null, reason: null });
  });

  it('names a changed row (HASH_MISMATCH)', async () => {
    const { org, events } = await orgWithEvents('Changed');
    const victim = events[3]!;
    await superuserQuery(t.databaseUrl!, `update audit_events set metadata = '{"name":"forged"}' where id = $1`, [victim.id]);
    expect(await verify(org)).toEqual({ ok: false, checked: 3, firstBrokenEventId: victim.id, firstBrokenSeq: 4, reason: 'HASH_MISMATCH' });
  });

  it('names the row after a deleted one (ROW_MISSING_BEFORE)', async () => {
    const { org, events } = await orgWithEvents('Deleted');
    await superuserQuery(t.databaseUrl!, 'delete from audit_events where id = $1', [events[2]!.id]);
    expect(await verify(org)).toMatchObject({ ok: false, checked: 2, firstBrokenEventId: events[3]!.id, reason: 'ROW_MISSING_BEFORE' });
  });

  it('notices rows removed from the end of the chain (ROWS_MISSING_AT_END)', async () => {
    const { org, events } = await orgWithEvents('Truncated');
    const last = events.at(-1)!;
    // The test's own reads are not audited, so the chain ends where the fixture left it.
    await superuserQuery(t.databaseUrl!, 'delete from audit_events where id = $1', [last.id]);
    expect(await verify(org)).toMatchObject({ ok: false, checked: events.length - 1, firstBrokenEventId: null, firstBrokenSeq: last.seq, reason: 'ROWS_MISSING_AT_END' });
  });

  it('notices an anchor rolled back to hide the truncation (ANCHOR_MISMATCH)', async () => {
    const { org, events } = await orgWithEvents('Reanchored');
    const [last, previous] = [events.at(-1)!, events.at(-2)!];
    const [row] = await superuserQuery<{ hash: string }>(t.databaseUrl!, 'select hash from audit_events where id = $1', [previous.id]);
    await superuserQuery(t.databaseUrl!, 'delete from audit_events where id = $1', [last.id]);
    await superuserQuery(t.databaseUrl!, 'update organizations set audit_head_seq = $2, audit_head_hash = $3 where id = $1', [org.orgId, previous.seq, row!.hash]);
    expect(await verify(org)).toMatchObject({ ok: false, reason: 'ANCHOR_MISMATCH' });
  });

  it('names a reordered row', async () => {
    const { org, events } = await orgWithEvents('Reordered');
    const [a, b] = [events[2]!, events[3]!];
    // Swap the two rows' places in the chain (through a free seq, as (organization, seq) is unique).
    await superuserQuery(t.databaseUrl!, 'update audit_events set seq = -1 where id = $1', [a.id]);
    await superuserQuery(t.databaseUrl!, 'update audit_events set seq = $2 where id = $1', [b.id, a.seq]);
    await superuserQuery(t.databaseUrl!, 'update audit_events set seq = $2 where id = $1', [a.id, b.seq]);
    const result = await verify(org);
    expect(result).toMatchObject({ ok: false, checked: 2, firstBrokenEventId: b.id, firstBrokenSeq: a.seq });
    expect(['HASH_MISMATCH', 'PREVIOUS_HASH_MISMATCH']).toContain(result.reason);
  });

  it('cannot be changed by the server roles (INSERT and SELECT only)', async () => {
    for (const role of ['accessflow_app', 'accessflow_system']) {
      for (const statement of ['update audit_events set action = $$x$$', 'delete from audit_events', 'truncate audit_events']) {
        await expect(superuserQuery(t.databaseUrl!, `begin; set local role ${role}; ${statement}; commit;`)).rejects.toThrow(/permission denied/);
      }
    }
  });
});

describe('audit log reading and export', () => {
  let org: Org;
  beforeAll(async () => {
    org = await createOrg(t, platform.admin, 'Readers', 'admin@readers.test');
    ok(
      await t.gql(
        'mutation($input: UpsertUserGroupInput!) { upsertUserGroup(input: $input) { __typename } }',
        { input: { name: 'Ops, "core"\nteam', description: 'tricky, for CSV' } },
        org.admin,
      ),
    );
  });

  it('pages newest first with cursors and filters', async () => {
    type Page = { auditEvents: { edges: { cursor: string; node: { seq: number; action: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    const query = 'query($after: String, $filter: AuditEventFilter) { auditEvents(first: 2, after: $after, filter: $filter) { edges { cursor node { seq action } } pageInfo { hasNextPage endCursor } } }';
    const first = ok(await t.gql<Page>(query, {}, org.admin)).auditEvents;
    expect(first.edges.map((e) => e.node.seq)).toEqual([4, 3]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = ok(await t.gql<Page>(query, { after: first.pageInfo.endCursor }, org.admin)).auditEvents;
    expect(second.edges.map((e) => e.node.seq)).toEqual([2, 1]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const filtered = ok(await t.gql<Page>(query, { filter: { action: 'USER_GROUP_CREATED' } }, org.admin)).auditEvents;
    expect(filtered.edges.map((e) => e.node.action)).toEqual(['USER_GROUP_CREATED']);
    const bad = await t.gql(query, { after: 'not-a-cursor' }, org.admin);
    expect(bad.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
  });

  it('exports RFC 4180 CSV that parses back to the same events, and records the export', async () => {
    type Export = { exportAuditEvents: { data: { csv: string; rowCount: number; truncated: boolean } } };
    const result = ok(
      await t.gql<Export>(
        'mutation { exportAuditEvents { ... on MutationExportAuditEventsSuccess { data { csv rowCount truncated } } } }',
        undefined,
        org.admin,
      ),
    ).exportAuditEvents.data;
    expect(result.csv.split('\r\n')[0]).toBe(
      'id,seq,created_at,actor_id,actor_type,action,target_type,target_id,source,ip_address,user_agent,metadata,previous_hash,hash',
    );
    const rows = parse(result.csv, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(result.rowCount);
    expect(result.truncated).toBe(false);
    const group = rows.find((r) => r['action'] === 'USER_GROUP_CREATED')!;
    expect(JSON.parse(group['metadata']!)).toEqual({ name: 'Ops, "core"\nteam' });

    const stored = await superuserQuery<{ id: string; hash: string }>(t.databaseUrl!, 'select id, hash from audit_events where organization_id = $1 order by seq', [org.orgId]);
    expect(rows.map((r) => [r['id'], r['hash']])).toEqual(stored.slice(0, rows.length).map((r) => [r.id, r.hash]));

    const exported = ok(
      await t.gql<{ auditEvents: { edges: { node: { action: string; metadata: { sha256: string; rowCount: number } } }[] } }>(
        '{ auditEvents(first: 1) { edges { node { action metadata } } } }',
        undefined,
        org.admin,
      ),
    ).auditEvents.edges[0]!.node;
    expect(exported.action).toBe('AUDIT_EXPORTED');
    expect(exported.metadata).toMatchObject({ rowCount: result.rowCount, sha256: createHash('sha256').update(result.csv).digest('hex') });
  });
});
