/**
 * P7: `accessflow run-query` end to end for an auto-approved read, against a direct GraphQL call doing the same
 * submission. Not part of the test suite: `npm run bench -w @accessflow/actions`.
 *
 * Real PostgreSQL 15 (the API's `startTestServers()`), one AccessFlow server on loopback, the Standard-like plan
 * (reads run at once). Each iteration submits `select id, name from customers where id = n` with
 * `execute: true`, and the same statement is measured four ways, interleaved so drift hits them alike:
 *  - baseline `fetch`: one `submitQuery` POST from this (warm) process — the floor of one governed call;
 *  - baseline `curl`: the same POST from a fresh `curl` process — what a shell pipeline step does without us;
 *  - ours, CLI: `node cli/dist/accessflow.mjs run-query --datasource crm --sql …` (process start, datasource
 *    lookup by name, submit, print);
 *  - ours, Action: `node run-query/dist/index.mjs` with INPUT_* and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files.
 * Goal (issue): the CLI ≤ 1 s over the baseline, i.e. no fixed polling sleep on the happy path.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { buildApp } from '../../api/src/app.ts';
import { loadConfig } from '../../api/src/config.ts';
import { createLogger } from '../../api/src/logger.ts';
import { createPostgresDatabase, startTestServers } from '../../api/test/servers.ts';

const ITERATIONS = 20;
const GOAL_OVER_BASELINE_MS = 1_000;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function gql<T>(url: string, query: string, variables: Record<string, unknown>, authorization?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data) throw new Error(`GraphQL call failed: ${JSON.stringify(body)}`);
  return body.data;
}

const servers = await startTestServers();
const dataDir = await mkdtemp(join(tmpdir(), 'accessflow-p7-'));
try {
  const storeUrl = await createPostgresDatabase(servers.postgresUrl);
  const targetUrl = await createPostgresDatabase(servers.postgresUrl);
  const target = new pg.Client({ connectionString: targetUrl });
  await target.connect();
  await target.query(`create table customers (id int primary key, name text); insert into customers select g, 'name ' || g from generate_series(1, 1000) g`);
  await target.end();

  const setupToken = randomBytes(18).toString('base64url');
  const app = await buildApp(
    loadConfig({
      ACCESSFLOW_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      ACCESSFLOW_SETUP_TOKEN: setupToken,
      JWT_SIGNING_KEY: randomBytes(32).toString('hex'),
      AUDIT_HMAC_KEY: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
      DATABASE_URL: storeUrl,
    }),
    createLogger('silent'),
  );
  const endpoint = await app.start();
  const url = `${endpoint}/graphql`;
  try {
    const setup = await gql<{ setup: { data: { accessToken: string } } }>(
      url,
      `mutation($input: SetupInput!) { setup(input: $input) { ... on MutationSetupSuccess { data { accessToken } } } }`,
      { input: { setupToken, organizationName: 'Bench', email: 'admin@bench.test', password: 'a long bench passphrase', displayName: 'Admin' } },
    );
    const admin = `Bearer ${setup.setup.data.accessToken}`;
    const plan = await gql<{ upsertReviewPlan: { data: { id: string } } }>(url, `mutation { upsertReviewPlan(input: { name: "standard", autoApproveReads: true, autoApproveMaxRiskLevel: MEDIUM }) { ... on MutationUpsertReviewPlanSuccess { data { id } } } }`, {}, admin);
    const t = new URL(targetUrl);
    const ds = await gql<{ upsertDatasource: { data: { id: string } } }>(
      url,
      `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { ... on MutationUpsertDatasourceSuccess { data { id } } } }`,
      { input: { name: 'crm', dbType: 'POSTGRESQL', host: t.hostname, port: Number(t.port), databaseName: t.pathname.slice(1), username: 'postgres', password: 'unused', reviewPlanId: plan.upsertReviewPlan.data.id } },
      admin,
    );
    const datasourceId = ds.upsertDatasource.data.id;
    const account = await gql<{ createServiceAccount: { data: { id: string } } }>(url, `mutation { createServiceAccount(input: { name: "ci", role: ANALYST }) { ... on MutationCreateServiceAccountSuccess { data { id } } } }`, {}, admin);
    const userId = account.createServiceAccount.data.id;
    const key = await gql<{ createApiKey: { data: { secret: string } } }>(url, `mutation($userId: ID!) { createApiKey(input: { name: "bench", userId: $userId }) { ... on MutationCreateApiKeySuccess { data { secret } } } }`, { userId }, admin);
    const apiKey = key.createApiKey.data.secret;
    await gql(url, `mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }`, { input: { datasourceId, userId, canRead: true, allowedTables: ['customers'] } }, admin);

    const submit = `mutation($input: SubmitQueryInput!) { submitQuery(input: $input) { __typename ... on MutationSubmitQuerySuccess { data { id status result { rows } } } ... on Error { message } } }`;
    const body = (i: number) => JSON.stringify({ query: submit, variables: { input: { datasourceId, query: `select id, name from customers where id = ${(i % 1000) + 1}`, clientRequestId: randomUUID(), execute: true } } });
    const check = (text: string) => {
      if (!text.includes('"EXECUTED"')) throw new Error(`not executed: ${text}`);
    };
    const runnerDir = await mkdtemp(join(tmpdir(), 'accessflow-p7-runner-'));
    await mkdir(runnerDir, { recursive: true });
    const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ACCESSFLOW_ENDPOINT: endpoint, ACCESSFLOW_API_KEY: apiKey };

    const ways: Record<string, (i: number) => Promise<void>> = {
      'baseline fetch (one submitQuery POST, warm process)': async (i) => {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, 'x-accessflow-ci': 'true' }, body: body(i) });
        check(await response.text());
      },
      'baseline curl (one submitQuery POST, fresh process)': async (i) => {
        const { stdout } = await run('curl', ['-sS', url, '-H', 'content-type: application/json', '-H', `authorization: Bearer ${apiKey}`, '-H', 'x-accessflow-ci: true', '--data', body(i)]);
        check(stdout);
      },
      'ours: accessflow run-query (CLI bundle)': async (i) => {
        const { stdout } = await run(process.execPath, [join(ROOT, 'cli/dist/accessflow.mjs'), 'run-query', '--datasource', 'crm', '--sql', `select id, name from customers where id = ${(i % 1000) + 1}`, '--json'], { env });
        check(stdout);
      },
      'ours: run-query action (dist bundle, as the runner starts it)': async (i) => {
        const outputFile = join(runnerDir, `out-${i}`);
        const summaryFile = join(runnerDir, `summary-${i}`);
        await writeFile(outputFile, '');
        await writeFile(summaryFile, '');
        await run(process.execPath, [join(ROOT, 'run-query/dist/index.mjs')], {
          env: { ...env, GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: randomUUID(), GITHUB_JOB: 'bench', GITHUB_ACTION: 'q', GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, INPUT_DATASOURCE: 'crm', INPUT_SQL: `select id, name from customers where id = ${(i % 1000) + 1}` },
        });
      },
    };
    const timings: Record<string, number[]> = Object.fromEntries(Object.keys(ways).map((k) => [k, []]));
    for (const [name, call] of Object.entries(ways)) await call(0).catch((error: unknown) => { throw new Error(`${name}: ${(error as Error).message}`); });
    for (let i = 1; i <= ITERATIONS; i++) {
      for (const [name, call] of Object.entries(ways)) {
        const started = performance.now();
        await call(i);
        timings[name]!.push(performance.now() - started);
      }
    }
    const p50 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const results = Object.fromEntries(Object.entries(timings).map(([name, values]) => [name, { p50: p50(values), min: Math.min(...values), max: Math.max(...values) }]));
    const [fetchBase, curlBase, cli, action] = Object.values(results);
    const lines = [
      ['P7 run-query CLI vs one fetch', cli!, fetchBase!],
      ['P7 run-query CLI vs one curl', cli!, curlBase!],
      ['P7 run-query action vs one curl', action!, curlBase!],
    ] as const;
    for (const [name, ours, baseline] of lines) {
      process.stdout.write(`${name}: ours ${ours.p50.toFixed(0)} ms, baseline ${baseline.p50.toFixed(0)} ms, ratio ${(ours.p50 / baseline.p50).toFixed(2)}x, difference ${(ours.p50 - baseline.p50).toFixed(0)} ms (goal ≤ ${GOAL_OVER_BASELINE_MS} ms over) p50 of ${ITERATIONS}\n`);
    }
    for (const [name, r] of Object.entries(results)) log(`  ${name}: p50 ${r.p50.toFixed(1)} ms, min ${r.min.toFixed(1)}, max ${r.max.toFixed(1)}`);
    const resultsDir = join(ROOT, 'bench/results');
    await mkdir(resultsDir, { recursive: true });
    await writeFile(join(resultsDir, `p7-${new Date().toISOString().replaceAll(':', '-')}.json`), `${JSON.stringify({ iterations: ITERATIONS, results }, null, 2)}\n`);
    await rm(runnerDir, { recursive: true, force: true });
  } finally {
    await app.stop();
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
  await servers.stop();
}
process.exit(0);
