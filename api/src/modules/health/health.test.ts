/**
 * Datasource health against a real PostgreSQL target: the numbers are computed from requests this test makes
 * through the API (and from the store rows it ages), the pool from the engine, the live check from the server.
 */
import { inject, afterAll, beforeAll, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../../test/servers.ts';
import { createOrg, createTestApp, createUserWithKey, ok, setupFirstOrg, superuserQuery, type Caller, type Org, type TestApp } from '../../../test/harness.ts';
import { workflow } from '../requests/requests.fixture.ts';

interface Health {
  datasourceId: string;
  checkedAt: string;
  since: string;
  pool: { max: number; total: number; active: number; idle: number; waiting: number } | null;
  connection: { ok: boolean; latencyMs: number | null; serverVersion: string | null; error: string | null };
  volume: { hour: string; submitted: number; executed: number; failed: number }[];
  submitted: number;
  executed: number;
  errorCount: number;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  lastError: { requestId: string; message: string; at: string } | null;
}
const HEALTH_FIELDS = `datasourceId checkedAt since pool { max total active idle waiting } connection { ok latencyMs serverVersion error }
  volume { hour submitted executed failed } submitted executed errorCount p50DurationMs p95DurationMs lastError { requestId message at }`;

let t: TestApp;
let org: Org;
let datasourceId: string;
let downId: string;
let analyst: Caller & { id: string };
let { submit, mutate } = {} as ReturnType<typeof workflow>;

const health = (caller: Caller, id = datasourceId) =>
  t.gql<{ datasourceHealth: Health | null }>(`query($id: ID!) { datasourceHealth(datasourceId: $id) { ${HEALTH_FIELDS} } }`, { id }, caller);

/** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = fraction * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

beforeAll(async () => {
  t = await createTestApp();
  ({ submit, mutate } = workflow(t, () => datasourceId));
  org = await setupFirstOrg(t);
  const targetUrl = await createPostgresDatabase(inject('postgresUrl'));
  await superuserQuery(targetUrl, `create table items (id int primary key, name text); insert into items select i, 'item ' || i from generate_series(1, 50) i;`);
  const url = new URL(targetUrl);
  const upsert = async (input: Record<string, unknown>) =>
    (await mutate<{ id: string }>('upsertDatasource', `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename ... on MutationUpsertDatasourceSuccess { data { id } } ... on Error { code message } } }`,
      { input: { dbType: 'POSTGRESQL', host: url.hostname, databaseName: url.pathname.slice(1), username: 'postgres', password: 'unused-with-trust', ...input } }, org.admin)).data!.id;
  datasourceId = await upsert({ name: 'inventory', port: Number(url.port), connectionPoolSize: 3 });
  downId = await upsert({ name: 'down', port: 1, verifyConnection: false });
  analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'analyst@acme.test');
  await mutate('upsertGrant', `mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }`, { input: { datasourceId, userId: analyst.id, canRead: true, canWrite: true } }, org.admin);
});
afterAll(() => t.close());

it('reports no pool before the first request, and a live check of the server', async () => {
  const report = ok(await health(org.admin)).datasourceHealth!;
  expect(report).toMatchObject({ datasourceId, pool: null, submitted: 0, executed: 0, errorCount: 0, p50DurationMs: null, p95DurationMs: null, lastError: null });
  expect(report.connection).toMatchObject({ ok: true, error: null });
  expect(report.connection.serverVersion).toMatch(/^15\./);
  expect(report.connection.latencyMs).toBeGreaterThan(0);
  expect(report.volume).toHaveLength(24);
  expect(report.volume.every((h) => h.submitted === 0 && h.executed === 0 && h.failed === 0)).toBe(true);
  expect(Date.parse(report.volume[23]!.hour)).toBeLessThanOrEqual(Date.parse(report.checkedAt));
  expect(Date.parse(report.checkedAt) - Date.parse(report.volume[23]!.hour)).toBeLessThan(3_600_000);
  expect(report.since).toBe(report.volume[0]!.hour);
});

it('counts the trailing 24 hours of requests, their p50/p95 execution time, failures and the last error', async () => {
  const ids: string[] = [];
  for (let i = 1; i <= 6; i++) {
    const request = (await submit(`select * from items where id <= ${i * 5}`, analyst, { execute: true })).data!;
    expect(request.status).toBe('EXECUTED');
    ids.push(request.id);
  }
  const failed = (await submit('select * from missing_table', analyst, { execute: true })).data!;
  expect(failed.status).toBe('FAILED');
  const pending = (await submit("update items set name = 'x' where id = 1", analyst)).data!;
  expect(pending.status).toBe('PENDING_REVIEW');
  // One successful request from two days ago: outside the window.
  await superuserQuery(t.databaseUrl!, `update query_requests set created_at = now() - interval '2 days', executed_at = now() - interval '2 days' where id = $1`, [ids[0]]);

  const durations = await superuserQuery<{ duration_ms: number }>(t.databaseUrl!, `select duration_ms from query_requests where id = any($1::uuid[])`, [ids.slice(1)]);
  expect(durations).toHaveLength(5);
  const report = ok(await health(org.admin)).datasourceHealth!;
  expect(report).toMatchObject({ submitted: 7, executed: 6, errorCount: 1 });
  expect(report.p50DurationMs).toBeCloseTo(percentile(durations.map((d) => d.duration_ms), 0.5), 6);
  expect(report.p95DurationMs).toBeCloseTo(percentile(durations.map((d) => d.duration_ms), 0.95), 6);
  expect(report.lastError).toMatchObject({ requestId: failed.id });
  expect(report.lastError!.message).toMatch(/relation "missing_table" does not exist/);
  const current = report.volume[23]!;
  expect(current).toEqual({ hour: current.hour, submitted: 7, executed: 6, failed: 1 });
  expect(report.volume.slice(0, 23).every((h) => h.submitted === 0)).toBe(true);
  // The pool was opened by those requests on this server, and nothing is running now.
  expect(report.pool).toMatchObject({ max: 3, active: 0, waiting: 0 });
  expect(report.pool!.total).toBeGreaterThanOrEqual(1);
  expect(report.pool!.idle).toBe(report.pool!.total);
});

it('reports a server that cannot be reached without failing', async () => {
  const report = ok(await health(org.admin, downId)).datasourceHealth!;
  expect(report.connection).toMatchObject({ ok: false, latencyMs: null, serverVersion: null });
  expect(report.connection.error).toMatch(/ECONNREFUSED|connect/i);
  expect(report.pool).toBeNull();
});

it('is for datasource managers of the organization only', async () => {
  const reviewer = await createUserWithKey(t, org.admin, 'REVIEWER', 'reviewer@acme.test');
  expect((await health(reviewer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect((await health(analyst)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const globex = await createOrg(t, org.admin, 'Globex', 'admin@globex.test');
  expect(ok(await health(globex.admin)).datasourceHealth).toBeNull();
  const all = (caller: Caller) => t.gql<{ datasourcesHealth: { datasourceId: string; connection: { ok: boolean } }[] }>('{ datasourcesHealth { datasourceId connection { ok } } }', {}, caller);
  expect(ok(await all(globex.admin)).datasourcesHealth).toEqual([]);
  expect((await all(reviewer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});

it('lists the health of every datasource of the organization, by name', async () => {
  const all = ok(await t.gql<{ datasourcesHealth: Health[] }>(`{ datasourcesHealth { ${HEALTH_FIELDS} } }`, {}, org.admin)).datasourcesHealth;
  expect(all.map((h) => [h.datasourceId, h.connection.ok])).toEqual([[downId, false], [datasourceId, true]]);
  const single = ok(await health(org.admin)).datasourceHealth!;
  expect(all[1]).toMatchObject({ submitted: single.submitted, executed: single.executed, errorCount: single.errorCount, p50DurationMs: single.p50DurationMs, lastError: single.lastError });
});
