/**
 * The GitLab CI/CD components, executed: each template is parsed (spec header and jobs), its inputs are
 * interpolated as GitLab does, and its `script:` lines run in bash (`set -eo pipefail`, as the runner's bash
 * shell) with the job's variables plus GitLab's predefined ones, against a real server. `npx` installs the CLI
 * from a tarball of actions/cli made by `npm pack` (the package is not published from here); the Node.js 24 on
 * PATH stands in for the `node:24` image. The reports the jobs declare are then read and checked.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ACTIONS_ROOT, finished } from './runner.ts';
import { awaitInQueue, createWorld, requests, type World } from './world.ts';

const TEMPLATES = join(ACTIONS_ROOT, '../gitlab-ci/templates');

interface Template {
  inputs: Record<string, { default?: string; description?: string }>;
  /** The jobs document, before interpolation. */
  source: string;
}

interface Job {
  stage: string;
  image: string;
  variables: Record<string, string>;
  script: string[];
  artifacts: { when: string; paths: string[]; reports: Record<string, string> };
}

async function template(name: string): Promise<Template> {
  const text = await readFile(join(TEMPLATES, `${name}.yml`), 'utf8');
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.length !== 2) throw new Error(`${name}.yml must have a spec document and a jobs document`);
  for (const doc of docs) expect(doc.errors).toEqual([]);
  const spec = docs[0]!.toJS() as { spec: { inputs: Template['inputs'] } };
  const separator = text.indexOf('\n---\n');
  return { inputs: spec.spec.inputs, source: text.slice(separator + 5) };
}

/** GitLab's `$[[ inputs.name ]]` interpolation: given values, else defaults; an unknown input is an error. */
function interpolate(t: Template, jobName: string, given: Record<string, string>): Job {
  for (const name of Object.keys(given)) if (!(name in t.inputs)) throw new Error(`unknown input ${name}`);
  const text = t.source.replace(/\$\[\[\s*inputs\.([\w-]+)\s*\]\]/g, (_m, name: string) => {
    if (!(name in t.inputs)) throw new Error(`template uses undeclared input ${name}`);
    return given[name] ?? t.inputs[name]!.default ?? '';
  });
  const jobs = parseAllDocuments(text)[0]!.toJS() as Record<string, Job>;
  const job = jobs[jobName];
  if (!job) throw new Error(`no job ${jobName}`);
  return job;
}

let world: World;
let tarball: string;
let npmCache: string;

beforeAll(async () => {
  world = await createWorld();
  const packDir = await mkdtemp(join(tmpdir(), 'accessflow-pack-'));
  npmCache = join(packDir, 'npm-cache');
  execFileSync('npm', ['pack', join(ACTIONS_ROOT, 'cli'), '--pack-destination', packDir], { stdio: 'ignore' });
  tarball = join(packDir, (await readdir(packDir)).find((f) => f.endsWith('.tgz'))!);
});
afterAll(async () => {
  await world?.close();
});

/** GitLab's predefined variables for one job of one pipeline; a retried job keeps the pipeline and the name. */
function gitlabEnv(pipelineId: string, jobName: string): Record<string, string> {
  return { GITLAB_CI: 'true', CI: 'true', CI_PROJECT_ID: '42', CI_PIPELINE_ID: pipelineId, CI_JOB_NAME: jobName, CI_JOB_ID: String(Math.floor(Math.random() * 1e9)) };
}

/** Runs a job's script lines in its own build directory; `variables` are the consumer's (override the template's). */
async function runJob(job: Job, variables: Record<string, string>, dir?: string) {
  const started = await startJob(job, variables, dir);
  return { ...(await started.done), dir: started.dir };
}

/** As runJob, in its own process group (as the runner's shell), returned while it runs. */
async function startJob(job: Job, variables: Record<string, string>, dir?: string) {
  const buildDir = dir ?? (await mkdtemp(join(tmpdir(), 'accessflow-gitlab-job-')));
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '',
    npm_config_cache: npmCache,
    npm_config_update_notifier: 'false',
    ...job.variables,
    ...variables,
  };
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', job.script.join('\n')], { cwd: buildDir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  return { child, done: finished(child), dir: buildDir };
}

function dotenv(text: string): Record<string, string> {
  return Object.fromEntries(text.trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

it('every template: a spec with defaults for every input, one hidden job on node:24 running the CLI pinned by `version`', async () => {
  for (const [name, job] of [['run-query', '.accessflow_run_query'], ['provision-datasource', '.accessflow_provision_datasource'], ['sql-review', '.accessflow_sql_review']] as const) {
    const t = await template(name);
    for (const [input, spec] of Object.entries(t.inputs)) expect(spec.default, `${name}: input ${input} needs a default`).toBeTypeOf('string');
    const defaults = interpolate(t, job, {});
    expect(defaults.image).toBe('node:24');
    expect(defaults.variables['ACCESSFLOW_CLI']).toBe(`@accessflow/cli@${JSON.parse(await readFile(join(ACTIONS_ROOT, 'cli/package.json'), 'utf8')).version}`);
    expect(interpolate(t, job, { version: '9.9.9' }).variables['ACCESSFLOW_CLI']).toBe('@accessflow/cli@9.9.9');
    expect(defaults.script.join('\n')).toContain('npx --yes --package="$ACCESSFLOW_CLI" accessflow ');
  }
});

it('provision-datasource then run-query, seed style: AF_* variables, the datasource id handed over by the dotenv report', async () => {
  const pipeline = String(Date.now());
  const target = new URL(world.targetUrl);
  const provision = interpolate(await template('provision-datasource'), '.accessflow_provision_datasource', { name: 'gitlab-crm', 'db-type': 'POSTGRESQL', host: target.hostname, port: target.port, 'database-name': target.pathname.slice(1), username: 'postgres' });
  const provisioned = await runJob(provision, { ...gitlabEnv(pipeline, 'provision'), ACCESSFLOW_ENDPOINT: world.endpoint, ACCESSFLOW_API_KEY: world.keys.admin, AF_PASSWORD: 'masked-variable', ACCESSFLOW_CLI: tarball });
  expect(provisioned.stderr).toContain('datasource gitlab-crm');
  expect(provisioned.code).toBe(0);
  const handedOver = dotenv(await readFile(join(provisioned.dir, 'accessflow-datasource.env'), 'utf8'));
  expect(handedOver).toEqual({ AF_DATASOURCE_ID: expect.stringMatching(/^[0-9a-f-]{36}$/), AF_DATASOURCE_CREATED: 'true' });
  expect(JSON.parse(await readFile(join(provisioned.dir, 'accessflow-datasource.json'), 'utf8'))).toMatchObject({ ok: true, id: handedOver['AF_DATASOURCE_ID'], connection: { ok: true } });
  // The new datasource has no grant for the deployer yet: give one, as an admin would.
  await world.gql(`mutation($input: UpsertGrantInput!) { upsertGrant(input: $input) { __typename } }`, { input: { datasourceId: handedOver['AF_DATASOURCE_ID'], userId: world.deployerId, canRead: true } }, world.keys.admin);

  // An existing pipeline: the seed's variable names, set on a job that extends the hidden one.
  const runQuery = interpolate(await template('run-query'), '.accessflow_run_query', {});
  const variables = { ...gitlabEnv(pipeline, 'report'), ACCESSFLOW_ENDPOINT: world.endpoint, ACCESSFLOW_API_KEY: world.keys.deployer, ACCESSFLOW_CLI: tarball, ...handedOver, AF_SQL: 'select name from customers where id = 3', AF_JUSTIFICATION: 'nightly report', AF_TIMEOUT_SECONDS: '60' };
  const ran = await runJob(runQuery, variables);
  expect(ran.code).toBe(0);
  const result = JSON.parse(await readFile(join(ran.dir, 'accessflow-run-query.json'), 'utf8'));
  expect(result).toMatchObject({ ok: true, status: 'EXECUTED', result: { rows: [['Cy']] }, clientRequestId: `gitlab:42:${pipeline}:report` });
  expect(dotenv(await readFile(join(ran.dir, 'accessflow-run-query.env'), 'utf8'))).toEqual({ AF_QUERY_ID: result.requestId, AF_STATUS: 'EXECUTED', AF_ROWS_AFFECTED: '', AF_RISK_LEVEL: 'LOW' });

  // The job retried (a new CI_JOB_ID, same pipeline and name): the same request, not a second one.
  const retried = await runJob(runQuery, { ...variables, CI_JOB_ID: randomUUID() });
  expect(retried.code).toBe(0);
  expect(JSON.parse(await readFile(join(retried.dir, 'accessflow-run-query.json'), 'utf8')).requestId).toBe(result.requestId);
  expect((await requests(world)).filter((r) => r.clientRequestId === `gitlab:42:${pipeline}:report`)).toHaveLength(1);
});

it('a cancelled job (SIGTERM to its process group) cancels the pending request', async () => {
  const sql = `update customers set name = 'gitlab' where id = 1`;
  const job = interpolate(await template('run-query'), '.accessflow_run_query', { datasource: 'crm', sql });
  const started = await startJob(job, { ...gitlabEnv(String(Date.now()), 'cancelled'), ACCESSFLOW_ENDPOINT: world.endpoint, ACCESSFLOW_API_KEY: world.keys.deployer, ACCESSFLOW_CLI: tarball });
  const id = await awaitInQueue(world, sql);
  process.kill(-started.child.pid!, 'SIGTERM');
  await started.done;
  await expect.poll(async () => (await requests(world)).find((r) => r.id === id)?.status, { timeout: 10_000 }).toBe('CANCELLED');
});

it('run-query with inputs: a refused statement fails the job with exit 1 and its report says why', async () => {
  const job = interpolate(await template('run-query'), '.accessflow_run_query', { datasource: 'crm', sql: 'select 1; select 2' });
  const ran = await runJob(job, { ...gitlabEnv(String(Date.now()), 'refused'), ACCESSFLOW_ENDPOINT: world.endpoint, ACCESSFLOW_API_KEY: world.keys.deployer, ACCESSFLOW_CLI: tarball });
  expect(ran.code).toBe(1);
  expect(JSON.parse(await readFile(join(ran.dir, 'accessflow-run-query.json'), 'utf8'))).toMatchObject({ ok: false, exitCode: 1, error: expect.stringContaining('QueryRejected') });
});

it('sql-review on a merge request: only the changed files, a valid Code Quality report, the job fails on a blocking finding', async () => {
  const repo = await mkdtemp(join(tmpdir(), 'accessflow-gitlab-mr-'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=ci@acme.test', '-c', 'user.name=ci', ...args], { cwd: repo, encoding: 'utf8' }).trim();
  await mkdir(join(repo, 'db'));
  git('init', '-q', '-b', 'main');
  await writeFile(join(repo, 'db/001.sql'), 'delete from customers;\n');
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  const baseSha = git('rev-parse', 'HEAD');
  await writeFile(join(repo, 'db/002.sql'), 'select id from customers where id = 1;\n\nupdate customers set name = null;\n');
  git('add', '.');
  git('commit', '-q', '-m', 'change');

  const job = interpolate(await template('sql-review'), '.accessflow_sql_review', { datasource: 'crm', files: 'db/*.sql' });
  const env = { ...gitlabEnv(String(Date.now()), 'sql-review'), ACCESSFLOW_ENDPOINT: world.endpoint, ACCESSFLOW_API_KEY: world.keys.deployer, ACCESSFLOW_CLI: tarball, CI_MERGE_REQUEST_DIFF_BASE_SHA: baseSha };
  const reviewed = await runJob(job, env, repo);
  expect(reviewed.code).toBe(1);
  expect(reviewed.stdout).not.toContain('db/001.sql');
  const report = JSON.parse(await readFile(join(repo, job.artifacts.reports['codequality']!), 'utf8')) as Record<string, unknown>[];
  expect(report.length).toBeGreaterThan(0);
  // GitLab's Code Quality format: these keys, these severities, a path and a begin line.
  for (const issue of report) {
    expect(Object.keys(issue).sort()).toEqual(['check_name', 'description', 'fingerprint', 'location', 'severity']);
    expect(issue['description']).toBeTypeOf('string');
    expect(issue['fingerprint']).toMatch(/^[0-9a-f]{64}$/);
    expect(['info', 'minor', 'major', 'critical', 'blocker']).toContain(issue['severity']);
    expect(issue['location']).toMatchObject({ path: 'db/002.sql', lines: { begin: expect.any(Number) } });
  }
  expect(report).toContainEqual(expect.objectContaining({ check_name: 'accessflow/RISK_CRITICAL', severity: 'blocker', location: { path: 'db/002.sql', lines: { begin: 3, end: 3 } } }));
  expect(new Set(report.map((i) => i['fingerprint'])).size).toBe(report.length);
  for (const path of job.artifacts.paths) await readFile(join(repo, path), 'utf8');

  // Without the blocking statement the job passes.
  await writeFile(join(repo, 'db/002.sql'), 'select id from customers where id = 1;\n');
  git('commit', '-q', '-am', 'fix');
  const fixed = await runJob(job, env, repo);
  expect(fixed.code).toBe(0);
});
