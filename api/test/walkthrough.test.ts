/**
 * docs/getting-started.md, executed: `npm start` in a fresh folder, then every `bash walkthrough` block of the
 * page in order, against that server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
let server: ChildProcess;
let dataDir: string;
let endpoint: string;
let setupToken: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'accessflow-walkthrough-'));
  server = spawn('npm', ['start'], {
    cwd: root,
    detached: true,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ACCESSFLOW_DATA_DIR: dataDir, ACCESSFLOW_SETUP_TOKEN: '', INIT_CWD: root },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    server.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const token = /^setup token: (\S+)$/m.exec(output)?.[1];
      const url = /AccessFlow listening on (http:\/\/[^/"]+)\/graphql/.exec(output)?.[1];
      if (token && url) {
        clearTimeout(timer);
        setupToken = token;
        endpoint = url;
        resolve();
      }
    });
    server.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
});

afterAll(async () => {
  if (server?.pid) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    process.kill(-server.pid, 'SIGTERM');
    await exited;
  }
  await rm(dataDir, { recursive: true, force: true });
});

it('docs/getting-started.md works as written', async () => {
  const page = await readFile(join(root, 'docs/getting-started.md'), 'utf8');
  const blocks = [...page.matchAll(/```bash walkthrough\n([\s\S]*?)```/g)].map((m) => m[1]);
  expect(blocks.length).toBeGreaterThanOrEqual(5);
  const run = spawnSync('bash', ['-euo', 'pipefail', '-c', blocks.join('\n')], {
    env: { ...process.env, ACCESSFLOW_ENDPOINT: endpoint, SETUP_TOKEN: setupToken },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const lines = run.stdout.trim().split('\n');
  expect(lines[0]).toBe('MutationSetupSuccess');
  expect(lines[1]).toMatch(/^af_.{8}$/);
  expect(JSON.parse(lines[2]!)).toEqual({ displayName: 'ci-deployer', kind: 'SERVICE_ACCOUNT', role: 'ANALYST', organization: { name: 'Acme' } });
  expect(JSON.parse(lines[3]!)).toMatchObject({ ok: true });
  const documented = /which prints\n\n```json\n(.*)\n```/.exec(page)?.[1];
  expect(JSON.parse(documented!)).toEqual(JSON.parse(lines[2]!));
});
