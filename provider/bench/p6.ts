/**
 * P6: `terraform plan` of 200 AccessFlow resources against 200 builtin `terraform_data` resources (same count,
 * same Terraform, same machine, same run), and the provider's start time (spawn → handshake line).
 * Run: `node bench/p6.ts [count]` from provider/ (needs terraform on PATH). Prints medians, ratios, best runs and
 * the load average, and writes bench/results/p6.json; never part of the test suite.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildApp } from '../../api/src/app.ts';
import { loadConfig } from '../../api/src/config.ts';
import { createLogger } from '../../api/src/logger.ts';
import { mirror, PROVIDER_SOURCE } from '../scripts/build.ts';
import { createServerCertificate } from '../src/protocol/certificate.ts';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../src/protocol/serve.ts';

const run = promisify(execFile);
const COUNT = Number(process.argv[2] ?? 200);
const ROUNDS = 5;
const STARTS = 15;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const minimum = (values: number[]) => Math.min(...values);
// The machine is shared: the load average says how much the absolute numbers are inflated.
const load = () => loadavg().map((value) => Number(value.toFixed(2)));

async function graphql(endpoint: string, query: string, variables: object, authorization?: string): Promise<Record<string, { data?: Record<string, unknown> }>> {
  const response = await fetch(`${endpoint}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: Record<string, { data?: Record<string, unknown> }> | null; errors?: unknown };
  if (!body.data) throw new Error(`GraphQL call failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function main(): Promise<void> {
  const loadBefore = load();
  const scratch = await mkdtemp(join(tmpdir(), 'af-p6-'));
  const setupToken = randomBytes(18).toString('base64url');
  const config = loadConfig({
    ACCESSFLOW_DATA_DIR: join(scratch, 'data'),
    PORT: '0',
    HOST: '127.0.0.1',
    ACCESSFLOW_SETUP_TOKEN: setupToken,
    JWT_SIGNING_KEY: randomBytes(32).toString('hex'),
    AUDIT_HMAC_KEY: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    ...(process.env['DATABASE_URL'] ? { DATABASE_URL: process.env['DATABASE_URL'] } : {}),
  });
  const app = await buildApp(config, createLogger('silent'));
  const endpoint = await app.start();
  try {
    const setup = await graphql(endpoint, `mutation($input: SetupInput!) { setup(input: $input) { ... on MutationSetupSuccess { data { accessToken } } } }`, {
      input: { setupToken, organizationName: 'Bench', email: 'bench@example.test', password: 'correct horse battery staple', displayName: 'Bench' },
    });
    const token = String(setup['setup']?.data?.['accessToken']);
    const key = await graphql(endpoint, `mutation { createApiKey(input: { name: "p6" }) { ... on MutationCreateApiKeySuccess { data { secret } } } }`, {}, `Bearer ${token}`);
    const apiKey = String(key['createApiKey']?.data?.['secret']);

    const mirrorDir = join(scratch, 'mirror');
    await mirror(mirrorDir);
    const cliConfig = join(scratch, 'terraformrc');
    await writeFile(cliConfig, '');
    const env = { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', ACCESSFLOW_ENDPOINT: endpoint, ACCESSFLOW_API_KEY: apiKey };
    const workspace = async (name: string, body: string) => {
      const dir = join(scratch, name);
      await mkdir(dir);
      await writeFile(join(dir, 'main.tf'), body);
      await run('terraform', ['init', '-backend=false', `-plugin-dir=${mirrorDir}`, '-no-color'], { cwd: dir, env });
      await run('terraform', ['apply', '-auto-approve', '-no-color', '-parallelism=20'], { cwd: dir, env, maxBuffer: 64 << 20 });
      return async (...extra: string[]) => {
        const started = performance.now();
        await run('terraform', ['plan', '-detailed-exitcode', '-no-color', ...extra], { cwd: dir, env, maxBuffer: 64 << 20 });
        return performance.now() - started;
      };
    };
    const ours = await workspace(
      'accessflow',
      `terraform {\n  required_providers {\n    accessflow = { source = "${PROVIDER_SOURCE}" }\n  }\n}\n\nresource "accessflow_user_group" "g" {\n  count       = ${COUNT}\n  name        = "group-\${count.index}"\n  description = "bench"\n}\n`,
    );
    const baseline = await workspace('builtin', `resource "terraform_data" "d" {\n  count = ${COUNT}\n  input = "group-\${count.index}"\n}\n`);
    const oursMs: number[] = [];
    const baselineMs: number[] = [];
    const noRefreshMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      baselineMs.push(await baseline());
      oursMs.push(await ours());
      noRefreshMs.push(await ours('-refresh=false'));
    }

    const launcher = join(mirrorDir, PROVIDER_SOURCE, '0.1.0', `linux_${process.arch === 'x64' ? 'amd64' : process.arch}`, 'terraform-provider-accessflow_v0.1.0');
    const clientCertificate = createServerCertificate();
    const startMs: number[] = [];
    const nodeMs: number[] = [];
    for (let i = 0; i < STARTS; i++) {
      startMs.push(await timeToFirstLine(launcher, [], { ...process.env, [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '6', PLUGIN_CLIENT_CERT: clientCertificate.certPem }));
      nodeMs.push(await timeToFirstLine(process.execPath, ['-e', 'process.stdout.write("ready\\n")'], process.env));
    }

    const results = {
      count: COUNT,
      loadAverage: { before: loadBefore, after: load() },
      planMs: { ours: median(oursMs), baseline: median(baselineMs), ratio: median(oursMs) / median(baselineMs), bestOurs: minimum(oursMs), bestBaseline: minimum(baselineMs) },
      // Where the time goes: the same plan without the 200 refresh reads.
      planWithoutRefreshMs: median(noRefreshMs),
      providerStartMs: { ours: median(startMs), bareNode: median(nodeMs), ratio: median(startMs) / median(nodeMs), bestOurs: minimum(startMs), bestBareNode: minimum(nodeMs) },
    };
    process.stdout.write(`P6 plan of ${COUNT} resources: ours ${results.planMs.ours.toFixed(0)} ms, baseline terraform_data ${results.planMs.baseline.toFixed(0)} ms, ratio ${results.planMs.ratio.toFixed(2)}\n`);
    process.stdout.write(`P6 plan of ${COUNT} resources with -refresh=false (no API reads): ours ${results.planWithoutRefreshMs.toFixed(0)} ms\n`);
    process.stdout.write(`P6 provider start: ours ${results.providerStartMs.ours.toFixed(0)} ms, baseline bare node ${results.providerStartMs.bareNode.toFixed(0)} ms, ratio ${results.providerStartMs.ratio.toFixed(2)}\n`);
    process.stdout.write(`P6 best of ${ROUNDS} plans / ${STARTS} starts: plan ${results.planMs.bestOurs.toFixed(0)} vs ${results.planMs.bestBaseline.toFixed(0)} ms; start ${results.providerStartMs.bestOurs.toFixed(0)} vs ${results.providerStartMs.bestBareNode.toFixed(0)} ms\n`);
    process.stdout.write(`load average (1, 5, 15 min) before ${loadBefore.join(' ')}, after ${results.loadAverage.after.join(' ')}\n`);
    const out = fileURLToPath(new URL('./results/', import.meta.url));
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'p6.json'), `${JSON.stringify({ ...results, at: new Date().toISOString() }, null, 2)}\n`);
  } finally {
    await app.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

function timeToFirstLine(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.once('data', () => {
      resolve(performance.now() - started);
      child.kill();
    });
    child.once('error', reject);
  });
}

await main();
process.exit(0);
