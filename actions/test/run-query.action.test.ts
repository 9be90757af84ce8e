/**
 * The run-query action's bundle, run as the GitHub runner runs it, against a real AccessFlow server on real
 * PostgreSQL: the happy paths, the reviewer's verdicts while it waits, timeouts, re-runs, cancellation, a
 * server restart in the middle of the wait, and bad input.
 */
import { randomUUID } from 'node:crypto';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { superuserQuery } from '../../api/test/harness.ts';
import { freePort } from '../../api/test/servers.ts';
import { runAction, runnerEnv, startAction } from './runner.ts';
import { awaitInQueue, createWorld, decide, requests, type World } from './world.ts';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world?.close();
});

function auth(key = world.keys.deployer) {
  return { ACCESSFLOW_ENDPOINT: world.endpoint, ACCESSFLOW_API_KEY: key };
}

it('runs an auto-approved read at once: outputs, masked-by-server rows, a job summary, marked as CI', async () => {
  const run = await runAction('run-query', { datasource: 'crm', sql: 'select id, name from customers order by id', justification: 'weekly report' }, { ...runnerEnv(randomUUID()), ...auth() });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.outputs['status']).toBe('EXECUTED');
  expect(run.outputs['query-id']).toMatch(/^[0-9a-f-]{36}$/);
  expect(JSON.parse(run.outputs['result-json']!)).toMatchObject({ rows: [[1, 'Ann'], [2, 'Bob'], [3, 'Cy']], rowCount: 3, truncated: false });
  expect(run.outputs['rows-affected']).toBe('');
  expect(run.summary).toContain('AccessFlow run-query');
  expect(run.summary).toContain('<td>Bob</td>');
  const [request] = (await requests(world)).filter((r) => r.id === run.outputs['query-id']);
  expect(request).toMatchObject({ status: 'EXECUTED', cicdOrigin: true, clientRequestId: expect.stringMatching(/^github:acme\/shop:/) });
});

it('waits while a write is reviewed; a second identity approves it; it runs once approved', async () => {
  const sql = `update customers set name = 'Ann B.' where id = 1`;
  const started = await startAction('run-query', { 'datasource-id': world.datasource.id, sql, 'timeout-seconds': '60' }, { ...runnerEnv(randomUUID()), ...auth() });
  const id = await awaitInQueue(world, sql);
  expect(await decide(world, id, 'APPROVE')).toBe('APPROVED');
  const run = await started.done;
  expect(run.code).toBe(0);
  expect(run.outputs).toMatchObject({ 'query-id': id, status: 'EXECUTED', 'rows-affected': '1' });
  expect(run.stdout).toContain('PENDING_REVIEW');
  expect(await superuserQuery(world.targetUrl, 'select name from customers where id = 1')).toEqual([{ name: 'Ann B.' }]);
});

it('fails with exit 1 and the reviewer’s comment when the write is rejected', async () => {
  const sql = `delete from customers where id = 3`;
  const started = await startAction('run-query', { datasource: 'crm', sql }, { ...runnerEnv(randomUUID()), ...auth() });
  await decide(world, await awaitInQueue(world, sql), 'REJECT', 'not before the audit closes');
  const run = await started.done;
  expect(run.code).toBe(1);
  expect(run.outputs['status']).toBe('REJECTED');
  expect(run.stdout).toMatch(/::error title=AccessFlow::request .*rejected: not before the audit closes/);
  expect(await superuserQuery(world.targetUrl, 'select count(*)::int as n from customers where id = 3')).toEqual([{ n: 1 }]);
});

it('times out with exit 4 leaving the request pending; a re-run of the job resumes the same request, not a second one', async () => {
  const sql = `update customers set email = 'bob@new.example' where id = 2`;
  const runId = randomUUID();
  const first = await runAction('run-query', { datasource: 'crm', sql, 'timeout-seconds': '1' }, { ...runnerEnv(runId, 1), ...auth() });
  expect(first.code).toBe(4);
  expect(first.outputs['status']).toBe('PENDING_REVIEW');
  expect(first.stdout).toContain('timed out waiting for request');
  const id = await awaitInQueue(world, sql);

  const rerun = await startAction('run-query', { datasource: 'crm', sql, 'timeout-seconds': '60' }, { ...runnerEnv(runId, 2), ...auth() });
  await expect.poll(async () => (await requests(world)).filter((r) => r.query === sql).length).toBe(1);
  expect(await decide(world, id, 'APPROVE')).toBe('APPROVED');
  const second = await rerun.done;
  expect(second.code).toBe(0);
  expect(second.outputs).toMatchObject({ 'query-id': id, status: 'EXECUTED', 'rows-affected': '1' });
  expect((await requests(world)).filter((r) => r.query === sql)).toHaveLength(1);

  // A third attempt after it ran: the same request, its outcome reported, nothing run again.
  const third = await runAction('run-query', { datasource: 'crm', sql }, { ...runnerEnv(runId, 3), ...auth() });
  expect(third.code).toBe(0);
  expect(third.outputs).toMatchObject({ 'query-id': id, status: 'EXECUTED' });
  expect((await requests(world)).filter((r) => r.query === sql)).toHaveLength(1);
});

it('cancels the pending request when the job is cancelled (SIGTERM) and exits 143', async () => {
  const sql = `update customers set name = 'Cy C.' where id = 3`;
  const started = await startAction('run-query', { datasource: 'crm', sql }, { ...runnerEnv(randomUUID()), ...auth() });
  const id = await awaitInQueue(world, sql);
  started.child.kill('SIGTERM');
  const run = await started.done;
  expect(run.code).toBe(143);
  expect(run.stdout).toContain(`cancelled request ${id}`);
  expect(run.outputs).toMatchObject({ 'query-id': id, status: 'CANCELLED' });
  expect((await requests(world)).find((r) => r.id === id)?.status).toBe('CANCELLED');
});

it('keeps waiting through a server restart and submits nothing twice', async () => {
  const sql = `update customers set name = 'Bob B.' where id = 2`;
  const started = await startAction('run-query', { datasource: 'crm', sql, 'timeout-seconds': '90' }, { ...runnerEnv(randomUUID()), ...auth() });
  const id = await awaitInQueue(world, sql);
  await world.stop();
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await world.start();
  expect(await decide(world, id, 'APPROVE')).toBe('APPROVED');
  const run = await started.done;
  expect(run.code).toBe(0);
  expect(run.outputs).toMatchObject({ 'query-id': id, status: 'EXECUTED', 'rows-affected': '1' });
  expect((await requests(world)).filter((r) => r.query === sql)).toHaveLength(1);
  // It really saw the server gone, and resumed the wait on its own.
  expect(run.stdout).toMatch(/ECONNREFUSED; retrying in \d+ ms/);
  expect(run.stdout).toContain('executed: 1 row(s) affected');
});

it('bad input: a clear message, the right exit code, nothing submitted', async () => {
  const before = (await requests(world)).length;
  const env = { ...runnerEnv(randomUUID()), ...auth() };

  const wrongKey = await runAction('run-query', { datasource: 'crm', sql: 'select 1' }, { ...env, ACCESSFLOW_API_KEY: 'af_not-a-real-key' });
  expect(wrongKey.code).toBe(5);
  expect(wrongKey.stdout).toContain('the API key was refused');

  const noKey = await runAction('run-query', { datasource: 'crm', sql: 'select 1' }, { ...env, ACCESSFLOW_API_KEY: '' });
  expect(noKey.code).toBe(5);
  expect(noKey.stdout).toContain('no API key');

  const unknown = await runAction('run-query', { datasource: 'no-such-db', sql: 'select 1' }, env);
  expect(unknown.code).toBe(2);
  expect(unknown.stdout).toContain('no datasource named "no-such-db"');

  const missingFile = await runAction('run-query', { datasource: 'crm', 'sql-file': 'migrations/042.sql' }, env);
  expect(missingFile.code).toBe(2);
  expect(missingFile.stdout).toContain('::error title=AccessFlow,file=migrations/042.sql,line=1::SQL file not found: migrations/042.sql');
  expect(missingFile.stdout.match(/::error/g)).toHaveLength(1);

  const both = await runAction('run-query', { datasource: 'crm', sql: 'select 1', 'sql-file': 'x.sql' }, env);
  expect(both.code).toBe(2);

  const refused = await runAction('run-query', { datasource: 'crm', sql: 'select 1; select 2' }, env);
  expect(refused.code).toBe(1);
  expect(refused.stdout).toContain('QueryRejected');

  const down = await runAction('run-query', { datasource: 'crm', sql: 'select 1', 'connect-retry-seconds': '1' }, { ...env, ACCESSFLOW_ENDPOINT: `http://127.0.0.1:${await freePort()}` });
  expect(down.code).toBe(6);
  expect(down.stdout).toMatch(/cannot reach AccessFlow at http:\/\/127\.0\.0\.1:\d+\/graphql: ECONNREFUSED/);

  expect((await requests(world)).length).toBe(before);
});

it('reads the statement from sql-file, relative to the workspace', async () => {
  const workspace = await mkdtemp(join(tmpdir(), 'accessflow-workspace-'));
  await writeFile(join(workspace, 'report.sql'), 'select count(*)::int as n from customers\n');
  const run = await runAction('run-query', { datasource: 'crm', 'sql-file': 'report.sql' }, { ...runnerEnv(randomUUID()), ...auth() }, workspace);
  expect(run.code).toBe(0);
  expect(JSON.parse(run.outputs['result-json']!).rows).toEqual([[3]]);
});
