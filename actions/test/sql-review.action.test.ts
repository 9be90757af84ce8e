/**
 * sql-review on a pull request: a git workspace whose branch adds a migration, reviewed by the action (as the
 * runner runs it) and by the CLI, against a real server; annotations per file and line, the job summary, SARIF
 * and the GitLab Code Quality report.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAction, runCli, runnerEnv } from './runner.ts';
import { createWorld, requests, type World } from './world.ts';

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string }[] } };
    results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
  }[];
}

let world: World;
let workspace: string;
let base: string;

const MIGRATION = `-- 002: tidy up customers
update customers
   set name = upper(name)
 where id = 1;

delete from customers;

drop table customers;
`;

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=ci@acme.test', '-c', 'user.name=ci', ...args], { cwd: workspace, encoding: 'utf8' }).trim();
}

beforeAll(async () => {
  world = await createWorld();
  // A routing policy that refuses unbounded writes from pipelines.
  await world.gql(
    `mutation($input: UpsertRoutingPolicyInput!) { upsertRoutingPolicy(input: $input) { __typename ... on Error { message } } }`,
    {
      input: {
        name: 'no unbounded writes from CI',
        priority: 10,
        action: 'AUTO_REJECT',
        reason: 'pipelines must not change every row',
        condition: { type: 'and', children: [{ type: 'cicd_origin', expected: true }, { type: 'has_where', expected: false }, { type: 'query_type', any_of: ['UPDATE', 'DELETE'] }] },
      },
    },
    world.keys.admin,
  );
  workspace = await mkdtemp(join(tmpdir(), 'accessflow-review-'));
  await mkdir(join(workspace, 'migrations'));
  git('init', '-q', '-b', 'main');
  await writeFile(join(workspace, 'migrations/001_init.sql'), 'select id, name from customers;\n');
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  base = git('rev-parse', 'HEAD');
  git('checkout', '-q', '-b', 'feature');
  await writeFile(join(workspace, 'migrations/002_cleanup.sql'), MIGRATION);
  git('add', '.');
  git('commit', '-q', '-m', 'cleanup');
});
afterAll(async () => {
  await world?.close();
});

it('reviews only the SQL the change adds, annotates each statement at its line, fails on what would be refused, submits nothing', async () => {
  const before = (await requests(world)).length;
  const run = await runAction(
    'sql-review',
    { datasource: 'crm', files: 'migrations/**/*.sql', 'base-ref': base, 'fail-on-risk': 'CRITICAL', 'sarif-file': 'review.sarif' },
    { ...runnerEnv(randomUUID()), ACCESSFLOW_ENDPOINT: world.endpoint, ACCESSFLOW_API_KEY: world.keys.deployer },
    workspace,
  );
  expect(run.code).toBe(1);
  const annotations = run.stdout.split('\n').filter((l) => /^::(error|warning|notice) /.test(l));
  expect(annotations).toEqual([
    expect.stringMatching(/^::notice title=AccessFlow%3A RISK_MEDIUM,file=migrations\/002_cleanup.sql,line=2,endLine=4::UPDATE risk MEDIUM/),
    expect.stringMatching(/^::error title=AccessFlow%3A ROUTING_REJECT,file=migrations\/002_cleanup.sql,line=6,endLine=6::routing would reject it: routing policy "no unbounded writes from CI" \(AUTO_REJECT\): pipelines must not change every row/),
    expect.stringMatching(/^::error title=AccessFlow%3A RISK_CRITICAL,file=migrations\/002_cleanup.sql,line=6,endLine=6::DELETE risk CRITICAL .*WRITE_WITHOUT_WHERE/),
    expect.stringMatching(/^::error title=AccessFlow%3A NOT_ALLOWED,file=migrations\/002_cleanup.sql,line=8,endLine=8::.*may not submit schema changes/),
    expect.stringMatching(/^::error title=AccessFlow%3A RISK_CRITICAL,file=migrations\/002_cleanup.sql,line=8,endLine=8::DDL risk CRITICAL .*DDL_DESTRUCTIVE/),
  ]);
  expect(run.stdout).not.toContain('001_init.sql');
  expect(run.outputs).toEqual({ 'sarif-file': 'review.sarif', statements: '3', findings: '5', blocking: '4', 'max-risk-level': 'CRITICAL' });
  expect(run.summary).toContain('| migrations/002_cleanup.sql:2-4 | UPDATE | customers | MEDIUM (25) | allowed | WRITE | review plan |');
  expect(run.summary).toContain('| migrations/002_cleanup.sql:6 | DELETE | customers | CRITICAL (95) | allowed | WRITE_WITHOUT_WHERE, WRITE | REJECT by no unbounded writes from CI |');

  const sarif = JSON.parse(await readFile(join(workspace, 'review.sarif'), 'utf8')) as SarifLog;
  expect(sarif.version).toBe('2.1.0');
  const [sarifRun] = sarif.runs;
  expect(sarifRun!.tool.driver.name).toBe('AccessFlow SQL review');
  expect(sarifRun!.results.map((r) => [r.ruleId, r.level, r.locations[0]!.physicalLocation.region.startLine])).toEqual([
    ['RISK_MEDIUM', 'note', 2],
    ['ROUTING_REJECT', 'error', 6],
    ['RISK_CRITICAL', 'error', 6],
    ['NOT_ALLOWED', 'error', 8],
    ['RISK_CRITICAL', 'error', 8],
  ]);
  for (const result of sarifRun!.results) {
    expect(sarifRun!.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
    expect(result.locations[0]!.physicalLocation.artifactLocation.uri).toBe('migrations/002_cleanup.sql');
  }
  expect((await requests(world)).length).toBe(before);
});

it('the CLI: a clean file passes (exit 0); a change with a refused statement fails (exit 1) with --json, Markdown and Code Quality reports', async () => {
  const env = { ACCESSFLOW_ENDPOINT: world.endpoint, ACCESSFLOW_API_KEY: world.keys.deployer };
  const clean = await runCli(['sql-review', '--datasource', 'crm', 'migrations/001_init.sql'], env, workspace);
  // Without routing, the policy's verdict is not asked for: the risk and the grants alone decide.
  const noRouting = await runCli(['sql-review', '--datasource', 'crm', '--no-routing', '--fail-on-risk', 'none', '--json', 'migrations/002_cleanup.sql'], env, workspace);
  expect((JSON.parse(noRouting.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule)).not.toContain('ROUTING_REJECT');
  expect(clean.code).toBe(0);
  expect(clean.stdout).toMatch(/^migrations\/001_init.sql:1: notice: SELECT risk LOW/);
  expect(clean.stdout).toContain('1 statement(s) in 1 file(s), highest risk LOW: nothing blocking\n');

  const report = await runCli(
    ['sql-review', '--datasource-id', world.datasource.id, '--base-ref', base, '--fail-on-risk', 'none', '--json', '--code-quality', 'cq.json', '--markdown', 'review.md', 'migrations/*.sql'],
    env,
    workspace,
  );
  expect(report.code).toBe(1);
  const json = JSON.parse(report.stdout) as { ok: boolean; findings: { rule: string; blocking: boolean; startLine: number }[] };
  expect(json.ok).toBe(false);
  expect(json.findings.filter((f) => f.blocking)).toEqual([expect.objectContaining({ rule: 'ROUTING_REJECT', startLine: 6 }), expect.objectContaining({ rule: 'NOT_ALLOWED', startLine: 8 })]);
  const codeQuality = JSON.parse(await readFile(join(workspace, 'cq.json'), 'utf8')) as { check_name: string; severity: string; location: { path: string; lines: { begin: number } } }[];
  expect(codeQuality.map((c) => [c.check_name, c.severity, c.location.lines.begin])).toEqual([
    ['accessflow/RISK_MEDIUM', 'info', 2],
    ['accessflow/ROUTING_REJECT', 'blocker', 6],
    ['accessflow/RISK_CRITICAL', 'major', 6],
    ['accessflow/NOT_ALLOWED', 'blocker', 8],
    ['accessflow/RISK_CRITICAL', 'major', 8],
  ]);
  expect(await readFile(join(workspace, 'review.md'), 'utf8')).toContain('## AccessFlow SQL review');

  const unknownRef = await runCli(['sql-review', '--datasource', 'crm', '--base-ref', 'no-such-ref'], env, workspace);
  expect(unknownRef.code).toBe(2);
  expect(unknownRef.stderr).toContain('cannot list the files changed since no-such-ref');
});
