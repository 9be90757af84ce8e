/**
 * Test fixtures for the provider: a real AccessFlow server (in-process app listening on loopback, real
 * PostgreSQL from the API harness) with an admin API key; the provider spawned as Terraform spawns it
 * (go-plugin handshake, AutoMTLS) with a gRPC client speaking tfplugin6; and real `terraform` workspaces.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { createApiKey, createTestApp, setupFirstOrg, type Org, type TestApp } from '../../api/test/harness.ts';
import { createServerCertificate } from '../src/protocol/certificate.ts';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../src/protocol/serve.ts';
import { bundle, mirror, PROVIDER_SOURCE } from '../scripts/build.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));

export interface Server {
  t: TestApp;
  org: Org;
  endpoint: string;
  apiKey: string;
  close(): Promise<void>;
}

export async function startServer(): Promise<Server> {
  const t = await createTestApp();
  const endpoint = await t.app.start();
  const org = await setupFirstOrg(t);
  const key = await createApiKey(t, { authorization: org.admin.authorization });
  return { t, org, endpoint, apiKey: key.secret, close: () => t.close() };
}

type Unary = (request: object, callback: (error: grpc.ServiceError | null, response: Record<string, unknown>) => void) => void;
export type ProviderClient = Record<string, (request?: object) => Promise<Record<string, unknown>>>;

export interface SpawnedProvider {
  process: ChildProcess;
  handshake: string;
  serverCertDer: Buffer;
  provider: ProviderClient;
  controller: ProviderClient;
  stdio: grpc.Client & { StreamStdio(request: object): grpc.ClientReadableStream<unknown> };
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  close(): void;
}

function promisified(client: grpc.Client): ProviderClient {
  return new Proxy({} as ProviderClient, {
    get: (_target, name: string) => (request: object = {}) =>
      new Promise((resolve, reject) => ((client as unknown as Record<string, Unary>)[name] as Unary).call(client, request, (error, response) => (error ? reject(error) : resolve(response)))),
  });
}

let bundled: Promise<string> | null = null;
/** The launcher of a fresh bundle (built once per test file). */
export function bundledProvider(): Promise<string> {
  bundled ??= mkdtemp(join(tmpdir(), 'af-provider-')).then((dir) => bundle(dir));
  return bundled;
}

export async function spawnProvider(env: Record<string, string> = {}, clientCertificate = createServerCertificate()): Promise<SpawnedProvider> {
  const launcher = await bundledProvider();
  const child = spawn(launcher, [], {
    env: { ...process.env, [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '5,6', PLUGIN_CLIENT_CERT: clientCertificate.certPem, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const handshake = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
    });
    child.once('exit', (code) => reject(new Error(`provider exited (${code}) before the handshake: ${stderr}`)));
  });
  const fields = handshake.split('|');
  const serverCertDer = Buffer.from(fields[5] ?? '', 'base64');
  const serverPem = new X509Certificate(serverCertDer).toString();
  const credentials = grpc.credentials.createSsl(Buffer.from(serverPem), Buffer.from(clientCertificate.keyPem), Buffer.from(clientCertificate.certPem));
  const options = { keepCase: true, longs: Number, enums: String, defaults: false, oneofs: true };
  const definition = protoLoader.loadSync([join(root, 'proto', 'tfplugin6.proto'), join(root, 'proto', 'go-plugin.proto')], options);
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    tfplugin6: { Provider: grpc.ServiceClientConstructor };
    plugin: { GRPCController: grpc.ServiceClientConstructor; GRPCStdio: grpc.ServiceClientConstructor };
  };
  const address = `unix://${fields[3]}`;
  const channelOptions = { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' };
  const providerClient = new loaded.tfplugin6.Provider(address, credentials, channelOptions);
  const controllerClient = new loaded.plugin.GRPCController(address, credentials, channelOptions);
  const stdio = new loaded.plugin.GRPCStdio(address, credentials, channelOptions) as unknown as SpawnedProvider['stdio'];
  return {
    process: child,
    handshake,
    serverCertDer,
    provider: promisified(providerClient),
    controller: promisified(controllerClient),
    stdio,
    exited,
    close() {
      providerClient.close();
      controllerClient.close();
      stdio.close();
      child.kill();
    },
  };
}

/** Fails the suite when terraform is missing, unless ACCESSFLOW_SKIP_TERRAFORM=1 asks to skip explicitly. */
export async function terraformAvailable(): Promise<boolean> {
  if (process.env['ACCESSFLOW_SKIP_TERRAFORM'] === '1') return false;
  try {
    await run('terraform', ['version'], { env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' } });
    return true;
  } catch {
    throw new Error('terraform is not on PATH: install Terraform ≥ 1.11, or set ACCESSFLOW_SKIP_TERRAFORM=1 to skip the Terraform end-to-end tests explicitly (they are then reported as skipped)');
  }
}

/**
 * The OpenTofu binary (`TOFU_BINARY`, else `tofu` on PATH), or null when there is none: the OpenTofu run of the
 * end-to-end suite is then reported as skipped under a title that says why.
 */
export async function tofuBinary(): Promise<string | null> {
  if (process.env['ACCESSFLOW_SKIP_TERRAFORM'] === '1') return null;
  const binary = process.env['TOFU_BINARY'] || 'tofu';
  try {
    await run(binary, ['version'], { env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', TOFU_CLI_CONFIG_FILE: '/dev/null' } });
    return binary;
  } catch (failure) {
    if (process.env['TOFU_BINARY']) throw new Error(`TOFU_BINARY=${process.env['TOFU_BINARY']} does not run: ${String(failure)}`);
    return null;
  }
}

export interface TerraformResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Workspace {
  dir: string;
  write(files: Record<string, string>): Promise<void>;
  /** Runs terraform; never throws on a non-zero exit (read `code`). */
  tf(...args: string[]): Promise<TerraformResult>;
  /** Runs terraform and throws with its output unless it exits with `expect` (default 0). */
  ok(args: string[], expect?: number): Promise<TerraformResult>;
  /** Managed resources in state (`terraform show -json`). */
  state(): Promise<{ resources: { type: string; name: string; instances: { attributes: Record<string, unknown> }[] }[] }>;
}

let mirrored: Promise<string> | null = null;
/** The provider laid out as a filesystem mirror (built once per test file). */
export function providerMirror(): Promise<string> {
  mirrored ??= mkdtemp(join(tmpdir(), 'af-mirror-')).then(async (dir) => (await mirror(dir), dir));
  return mirrored;
}

export const REQUIRED_PROVIDERS = `terraform {
  required_providers {
    accessflow = {
      source = "${PROVIDER_SOURCE}"
    }
  }
}
`;

/** A workspace driven by `binary`: terraform, or an OpenTofu binary (same commands, same flags). */
export async function workspace(server: Pick<Server, 'endpoint' | 'apiKey'>, name: string, extraEnv: Record<string, string> = {}, binary = 'terraform'): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), `af-tf-${name}-`));
  const mirrorDir = await providerMirror();
  const cliConfig = join(dir, '.terraformrc');
  await writeFile(cliConfig, '');
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TOFU_CLI_CONFIG_FILE: cliConfig,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    ACCESSFLOW_ENDPOINT: server.endpoint,
    ACCESSFLOW_API_KEY: server.apiKey,
    ...extraEnv,
  };
  const tf = async (...args: string[]): Promise<TerraformResult> => {
    const started = Date.now();
    if (process.env['ACCESSFLOW_TF_TRACE']) process.stderr.write(`${binary} ${args.join(' ')}\n`);
    try {
      const { stdout, stderr } = await run(binary, [...args], { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 });
      if (process.env['ACCESSFLOW_TF_TRACE']) process.stderr.write(`  ${Date.now() - started} ms\n`);
      return { code: 0, stdout, stderr };
    } catch (failure) {
      const f = failure as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof f.code === 'number' ? f.code : -1, stdout: f.stdout ?? '', stderr: f.stderr ?? '' };
    }
  };
  const ws: Workspace = {
    dir,
    async write(files) {
      for (const [file, text] of Object.entries(files)) {
        await mkdir(join(dir, file, '..'), { recursive: true });
        await writeFile(join(dir, file), text);
      }
    },
    tf,
    async ok(args, expect = 0) {
      const result = await tf(...args);
      if (result.code !== expect) throw new Error(`${binary} ${args.join(' ')} exited ${result.code} (expected ${expect})\n${result.stdout}\n${result.stderr}`);
      return result;
    },
    async state() {
      const result = await ws.ok(['show', '-json']);
      const parsed = JSON.parse(result.stdout) as { values?: { root_module?: { resources?: { mode: string; type: string; name: string; values: Record<string, unknown> }[] } } };
      return {
        resources: (parsed.values?.root_module?.resources ?? [])
          .filter((r) => r.mode === 'managed')
          .map((r) => ({ type: r.type, name: r.name, instances: [{ attributes: r.values }] })),
      };
    },
  };
  await ws.write({ 'versions.tf': REQUIRED_PROVIDERS });
  await ws.ok(['init', '-backend=false', `-plugin-dir=${mirrorDir}`, '-no-color']);
  return ws;
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
