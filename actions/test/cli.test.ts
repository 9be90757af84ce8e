/**
 * The `accessflow` CLI bundle (what `npx @accessflow/cli` runs) against a real server: --json output, each way
 * of waiting for a verdict (WebSocket, server-sent events, polling) and the automatic fallback behind a proxy
 * that carries none of the streams, the seed's AF_* variables, and SIGINT.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startProxy } from './proxy.ts';
import { runCli, startCli } from './runner.ts';
import { awaitInQueue, createWorld, decide, requests, type World } from './world.ts';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world?.close();
});

function env(endpoint = world.endpoint) {
  return { ACCESSFLOW_ENDPOINT: endpoint, ACCESSFLOW_API_KEY: world.keys.deployer };
}

it('--json: an auto-approved read runs within the submission itself, no wait at all', async () => {
  const run = await runCli(['run-query', '--datasource', 'crm', '--sql', 'select id, email from customers where id = 2', '--json'], env());
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({
    ok: true,
    exitCode: 0,
    status: 'EXECUTED',
    transport: 'none',
    datasource: { id: world.datasource.id, name: 'crm' },
    queryType: 'SELECT',
    result: { columns: [{ name: 'id' }, { name: 'email' }], rows: [[2, 'bob@example.com']], rowCount: 1 },
    clientRequestId: expect.stringMatching(/^cli:/),
  });
});

it.each(['websocket', 'sse', 'polling'])('waits for the verdict over %s', async (transport) => {
  const sql = `update customers set name = 'via ${transport}' where id = 1`;
  const started = startCli(['run-query', '--datasource', 'crm', '--sql', sql, '--transport', transport, '--json'], env());
  await decide(world, await awaitInQueue(world, sql), 'APPROVE');
  const run = await started.done;
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({ status: 'EXECUTED', rowsAffected: 1, transport });
});

it.each([
  { refuseSse: false, expected: 'sse' },
  { refuseSse: true, expected: 'polling' },
])('falls back to $expected when a proxy refuses WebSocket upgrades (and SSE: $refuseSse)', async ({ refuseSse, expected }) => {
  const proxy = await startProxy(world.endpoint, { sse: refuseSse });
  try {
    const sql = `update customers set name = 'behind a proxy ${expected}' where id = 1`;
    const started = startCli(['run-query', '--datasource', 'crm', '--sql', sql, '--json'], env(proxy.url));
    await decide(world, await awaitInQueue(world, sql), 'APPROVE');
    const run = await started.done;
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'EXECUTED', transport: expected });
    expect(run.stderr).toContain('websocket is not available');
    expect(proxy.refused.websocket).toBeGreaterThan(0);
    if (refuseSse) expect(run.stderr).toContain('sse is not available');
  } finally {
    await proxy.close();
  }
});

it('accepts the seed’s AF_* variables (AF_DATASOURCE_ID, AF_SQL, AF_JUSTIFICATION, AF_TIMEOUT_SECONDS)', async () => {
  const run = await runCli(['run-query'], { ...env(), AF_DATASOURCE_ID: world.datasource.id, AF_SQL: 'select 41 + 1 as answer', AF_JUSTIFICATION: 'compat', AF_TIMEOUT_SECONDS: '30', AF_POLL_INTERVAL_SECONDS: '5' });
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('EXECUTED');
  expect(run.stdout).toContain('answer');
  expect(run.stdout).toContain('42');
});

it('SIGINT cancels the pending request and exits 130', async () => {
  const sql = `update customers set name = 'never' where id = 1`;
  const started = startCli(['run-query', '--datasource', 'crm', '--sql', sql], env());
  const id = await awaitInQueue(world, sql);
  started.child.kill('SIGINT');
  const run = await started.done;
  expect(run.code).toBe(130);
  expect(run.stderr).toContain(`stopped by SIGINT: cancelled request ${id}`);
  expect((await requests(world)).find((r) => r.id === id)?.status).toBe('CANCELLED');
});

it('--no-execute stops at APPROVED; a statement that fails on the database exits 3 with its error', async () => {
  const approved = await runCli(['run-query', '--datasource', 'crm', '--sql', 'select id from customers where id = 1', '--no-execute', '--json'], env());
  expect(approved.code).toBe(0);
  expect(JSON.parse(approved.stdout)).toMatchObject({ ok: true, status: 'APPROVED', result: null, message: 'approved (not executed: execute is off)' });

  const failed = await runCli(['run-query', '--datasource', 'crm', '--sql', 'select 1 / (id - id) from customers where id = 1', '--json'], env());
  expect(failed.code).toBe(3);
  expect(JSON.parse(failed.stdout)).toMatchObject({ ok: false, status: 'FAILED', error: expect.stringContaining('division by zero') });
});

it('usage errors exit 2 with the command’s options', async () => {
  const unknown = await runCli(['run-query', '--no-such-option'], env());
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain("Unknown option '--no-such-option'");
  const command = await runCli(['deploy'], env());
  expect(command.code).toBe(2);
  expect(command.stderr).toContain('unknown command: deploy');
});
