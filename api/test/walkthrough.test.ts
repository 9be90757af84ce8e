/**
 * The documentation, executed: `npm start` in a fresh folder, then every `bash walkthrough` block of the pages,
 * in order, against that server — docs/getting-started.md alone, and followed by docs/governed-queries.md
 * against a real PostgreSQL and a real MariaDB target.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { afterEach, expect, inject, it } from 'vitest';
import { createPostgresDatabase } from './servers.ts';
import { superuserQuery } from './harness.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CUSTOMERS = `create table customers (id int primary key, name text, email text, region text);
  insert into customers values (1, 'Ann', 'ann@example.com', 'eu'), (2, 'Bob', 'bob@example.com', 'us'), (3, 'Cy', 'cy@example.com', 'eu')`;

interface Server {
  process: ChildProcess;
  dataDir: string;
  endpoint: string;
  setupToken: string;
}
const running: Pick<Server, 'process' | 'dataDir'>[] = [];

async function startServer(): Promise<Server> {
  const dataDir = await mkdtemp(join(tmpdir(), 'accessflow-walkthrough-'));
  const child = spawn('npm', ['start'], {
    cwd: root,
    detached: true,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ACCESSFLOW_DATA_DIR: dataDir, ACCESSFLOW_SETUP_TOKEN: '', DATABASE_URL: '', INIT_CWD: root },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Tracked before it is up: a test that times out while it starts must not leave the server running.
  const tracked = { process: child, dataDir };
  running.push(tracked);
  let output = '';
  const started = await new Promise<{ token: string; url: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const token = /^setup token: (\S+)$/m.exec(output)?.[1];
      const url = /AccessFlow listening on (http:\/\/[^/"]+)\/graphql/.exec(output)?.[1];
      if (token && url) {
        clearTimeout(timer);
        resolve({ token, url });
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return { ...tracked, endpoint: started.url, setupToken: started.token };
}

afterEach(async () => {
  for (const server of running.splice(0)) {
    if (server.process.exitCode === null && server.process.signalCode === null) {
      const exited = new Promise((resolve) => server.process.once('exit', resolve));
      process.kill(-server.process.pid!, 'SIGTERM');
      // The whole process group (npm, sh, node): SIGKILL if it has not gone within 20 s.
      const killer = setTimeout(() => process.kill(-server.process.pid!, 'SIGKILL'), 20_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(server.dataDir, { recursive: true, force: true });
  }
});

async function walkthroughBlocks(page: string): Promise<string[]> {
  const text = await readFile(join(root, 'docs', page), 'utf8');
  return [...text.matchAll(/```bash walkthrough\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

function run(blocks: string[], env: Record<string, string>): string[] {
  // A clean bash: no profile, rc or BASH_ENV of the machine running the tests.
  const { BASH_ENV: _ignored, ...inherited } = process.env;
  const result = spawnSync('bash', ['--noprofile', '--norc', '-euo', 'pipefail', '-c', blocks.join('\n')], {
    env: { ...inherited, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout.trim().split('\n');
}

it('docs/getting-started.md works as written', { timeout: 120_000 }, async () => {
  const server = await startServer();
  const blocks = await walkthroughBlocks('getting-started.md');
  expect(blocks.length).toBeGreaterThanOrEqual(5);
  const lines = run(blocks, { ACCESSFLOW_ENDPOINT: server.endpoint, SETUP_TOKEN: server.setupToken });
  expect(lines[0]).toBe('MutationSetupSuccess');
  expect(lines[1]).toMatch(/^af_.{8}$/);
  expect(JSON.parse(lines[2]!)).toEqual({ displayName: 'ci-deployer', kind: 'SERVICE_ACCOUNT', role: 'ANALYST', organization: { name: 'Acme' } });
  expect(JSON.parse(lines[3]!)).toMatchObject({ ok: true });
  const page = await readFile(join(root, 'docs/getting-started.md'), 'utf8');
  expect(JSON.parse(/which prints\n\n```json\n(.*)\n```/.exec(page)![1]!)).toEqual(JSON.parse(lines[2]!));
});

const targets = {
  POSTGRESQL: async () => {
    const url = new URL(await createPostgresDatabase(inject('postgresUrl')));
    await superuserQuery(url.toString(), CUSTOMERS);
    return { TARGET_TYPE: 'POSTGRESQL', TARGET_HOST: url.hostname, TARGET_PORT: url.port, TARGET_DB: url.pathname.slice(1), TARGET_USER: 'postgres', TARGET_PASSWORD: 'unused' };
  },
  MARIADB: async () => {
    const url = new URL(inject('mariadbUrl'));
    const database = `crm_${randomBytes(4).toString('hex')}`;
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    const connection = await mysql.createConnection({ host: url.hostname, port: Number(url.port), user, password, multipleStatements: true });
    await connection.query(`create database ${database}; use ${database}; ${CUSTOMERS.replaceAll(' text', ' varchar(100)')}`);
    await connection.end();
    return { TARGET_TYPE: 'MARIADB', TARGET_HOST: url.hostname, TARGET_PORT: url.port, TARGET_DB: database, TARGET_USER: user, TARGET_PASSWORD: password };
  },
};

it.each(Object.keys(targets) as (keyof typeof targets)[])('docs/governed-queries.md works as written against %s', { timeout: 120_000 }, async (engine) => {
  const target = await targets[engine]();
  const server = await startServer();
  const blocks = [...(await walkthroughBlocks('getting-started.md')), ...(await walkthroughBlocks('governed-queries.md'))];
  const lines = run(blocks, { ACCESSFLOW_ENDPOINT: server.endpoint, SETUP_TOKEN: server.setupToken, ...target }).slice(4);
  const page = await readFile(join(root, 'docs/governed-queries.md'), 'utf8');
  expect(lines.slice(0, 3)).toEqual(['MutationUpsertGrantSuccess', 'MutationUpsertMaskingPolicySuccess', 'MutationUpsertRowSecurityPolicySuccess']);
  expect(JSON.parse(lines[3]!)).toEqual(JSON.parse(/prints\n\n```json\n(.*)\n```/.exec(page)![1]!));
  expect(lines.slice(4)).toEqual([
    'PENDING_REVIEW',
    'the request is PENDING_REVIEW, not APPROVED',
    "update customers set name = 'Ann B.' where id = 1",
    'APPROVED',
    '{"status":"EXECUTED","rowsAffected":1}',
    'true',
  ]);
});
