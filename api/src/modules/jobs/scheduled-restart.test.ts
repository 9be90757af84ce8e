/**
 * A scheduled run survives its server: the server holding the schedule is killed (SIGKILL) before the request
 * is due, two fresh replicas start on the same store after it is due, and the request runs exactly once.
 * Real server processes (`node src/main.ts`), real PostgreSQL for the store and the target.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject, afterAll, beforeAll, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../../test/servers.ts';
import { createTestApp, createUserWithKey, ok, setupFirstOrg, superuserQuery, type Caller, type Org, type TestApp } from '../../../test/harness.ts';
import { workflow } from '../requests/requests.fixture.ts';

const apiDir = new URL('../../../', import.meta.url).pathname;
const KEYS = {
  JWT_SIGNING_KEY: randomBytes(32).toString('hex'),
  AUDIT_HMAC_KEY: randomBytes(32).toString('hex'),
  ENCRYPTION_KEY: randomBytes(32).toString('hex'),
};

let t: TestApp;
let org: Org;
let targetUrl: string;
let datasourceId: string;
let analyst: Caller & { id: string };
let reviewer: Caller & { id: string };
let { submit, decide, mutate } = {} as ReturnType<typeof workflow>;
const replicas: ChildProcess[] = [];
const dataDirs: string[] = [];

/** A server process on the test's store, sweeping for due work every 200 ms. */
async function startReplica(): Promise<ChildProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'accessflow-replica-'));
  dataDirs.push(dataDir);
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: apiDir,
    env: { ...process.env, ...KEYS, PORT: '0', HOST: '127.0.0.1', ACCESSFLOW_DATA_DIR: dataDir, DATABASE_URL: t.databaseUrl!, DATABASE_POOL_SIZE: '2', JOBS_INTERVAL_MS: '200', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  replicas.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('AccessFlow listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`replica exited with ${code}:\n${output}`)));
  });
  return child;
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

async function statusOf(id: string): Promise<string> {
  return ok(await t.gql<{ queryRequest: { status: string } }>('query($id: ID!) { queryRequest(id: $id) { status } }', { id }, analyst)).queryRequest.status;
}

beforeAll(async () => {
  t = await createTestApp({ env: KEYS });
  ({ submit, decide, mutate } = workflow(t, () => datasourceId));
  org = await setupFirstOrg(t);
  targetUrl = await createPostgresDatabase(inject('postgresUrl'));
  await superuserQuery(targetUrl, 'create table log (value int)');
  const url = new URL(targetUrl);
  const created = await mutate<{ id: string }>(
    'upsertDatasource',
    `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { __typename ... on MutationUpsertDatasourceSuccess { data { id } } } }`,
    { input: { name: 'ops', dbType: 'POSTGRESQL', host: url.hostname, port: Number(url.port), databaseName: url.pathname.slice(1), username: 'postgres', password: 'unused-with-trust' } },
    org.admin,
  );
  datasourceId = created.data!.id;
  analyst = await createUserWithKey(t, org.admin, 'ANALYST', 'analyst@acme.test');
  reviewer = await createUserWithKey(t, org.admin, 'REVIEWER', 'reviewer@acme.test');
  await mutate('upsertGrant', `mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }`,
    { input: { datasourceId, userId: analyst.id, canRead: true, canWrite: true } }, org.admin);
});
afterAll(async () => {
  await Promise.all(replicas.map((child) => stop(child, 'SIGKILL')));
  await t.close();
  await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

it('runs a scheduled request once after the server holding it was killed, with two replicas racing for it', { timeout: 120_000 }, async () => {
  const first = await startReplica();
  const dueAt = new Date(Date.now() + 4_000);
  const submitted = (await submit('insert into log values (42)', analyst, { scheduledFor: dueAt.toISOString() })).data!;
  expect((await decide(submitted.id, 'APPROVE', reviewer)).data).toMatchObject({ status: 'APPROVED' });

  await stop(first, 'SIGKILL');
  await sleep(Math.max(0, dueAt.getTime() - Date.now()) + 500);
  // Due, and nobody is running: it waits in the store.
  expect(await statusOf(submitted.id)).toBe('APPROVED');

  await Promise.all([startReplica(), startReplica()]);
  for (let waited = 0; (await statusOf(submitted.id)) !== 'EXECUTED'; waited += 100) {
    if (waited > 30_000) throw new Error(`still ${await statusOf(submitted.id)} after 30 s`);
    await sleep(100);
  }
  // Several more sweeps of both replicas: still one run.
  await sleep(1_000);
  expect(await superuserQuery(targetUrl, 'select value from log')).toEqual([{ value: 42 }]);
  const executed = await superuserQuery(t.databaseUrl!, "select count(*)::int as n from audit_events where target_id = $1 and action = 'QUERY_EXECUTED'", [submitted.id]);
  expect(executed).toEqual([{ n: 1 }]);
});
