/**
 * Cold start to ready on the embedded store: wall time from spawning the real server (api/src/main.ts) to the
 * first 200 from /readyz, (a) on an empty data dir (first boot: key files, PGlite init, migrations) and (b) on
 * the same data dir again (second boot). Baseline, in the same run: a minimal HTTP server (fixtures/) spawned
 * the same way — `node` with its own TypeScript type stripping and the same compile cache as `npm start`, the same
 * readiness poll — so the ratio isolates our own start-up work.
 * Goal: (b) ≤ 3 s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { compare, formatNumber, median, note, type Benchmark, type BenchResult } from './runner.ts';

const ROUNDS = 3;
const REOPEN_GOAL_MS = 3_000;
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;
const POLL_INTERVAL_MS = 5;

const API_DIR = fileURLToPath(new URL('..', import.meta.url));
const SERVER_ENTRY = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const BASELINE_ENTRY = fileURLToPath(new URL('./fixtures/minimal-server.ts', import.meta.url));
const BASELINE_LABEL = 'minimal HTTP server, same node and compile cache';

interface Round {
  fresh: number;
  reopen: number;
  baseline: number;
}

export const coldStart: Benchmark = {
  name: 'cold-start',
  async run() {
    const root = await mkdtemp(join(tmpdir(), 'accessflow-bench-'));
    try {
      note(`cold-start: 1 warm-up round, then ${ROUNDS} measured rounds (fresh boot, reopen, baseline)`);
      await oneRound(root, 'warm-up');
      const rounds: Round[] = [];
      for (let i = 1; i <= ROUNDS; i++) rounds.push(await oneRound(root, `round-${i}`));
      return results(rounds);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  },
};

/** One fresh boot and one reopen of a new data dir, and one baseline start, interleaved so drift hits all three. */
async function oneRound(root: string, label: string): Promise<Round> {
  const env = serverEnv(join(root, label));
  const fresh = await timeToReady(SERVER_ENTRY, env);
  const reopen = await timeToReady(SERVER_ENTRY, env);
  const baseline = await timeToReady(BASELINE_ENTRY, env);
  note(`cold-start ${label}: fresh ${formatNumber(fresh)} ms, reopen ${formatNumber(reopen)} ms, baseline ${formatNumber(baseline)} ms`);
  return { fresh, reopen, baseline };
}

function results(rounds: Round[]): BenchResult[] {
  const baseline = median(rounds.map((r) => r.baseline));
  const result = (name: string, kind: 'fresh' | 'reopen', what: string) => {
    const runs = rounds.map((r) => r[kind]);
    const ours = median(runs);
    return compare({
      name,
      unit: 'ms',
      ours,
      baseline,
      baselineLabel: BASELINE_LABEL,
      samples: runs.length,
      notes: `${what}; median of runs ${runs.map(formatNumber).join(', ')} ms; our work above the floor ${formatNumber(ours - baseline)} ms`,
    });
  };
  const fresh = result('cold-start.fresh', 'fresh', 'spawn to first 200 on /readyz, empty data dir (keys, PGlite init, migrations)');
  const reopen = result('cold-start.reopen', 'reopen', `spawn to first 200 on /readyz, existing data dir; goal ≤ ${REOPEN_GOAL_MS} ms`);
  const verdict = reopen.ours <= REOPEN_GOAL_MS ? 'met' : 'MISSED';
  note(`cold-start.reopen: ${formatNumber(reopen.ours)} ms to ready on an existing data dir (goal ≤ ${REOPEN_GOAL_MS} ms: ${verdict})`);
  return [fresh, reopen];
}

/** The embedded store and in-process bus whatever the caller's environment says; a free loopback port. */
function serverEnv(dataDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ACCESSFLOW_DATA_DIR: dataDir,
    DATABASE_URL: '',
    REDIS_URL: '',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    // As `npm start` does (api/package.json): V8's compiled code is reused across starts.
    NODE_COMPILE_CACHE: join(tmpdir(), 'accessflow-compile-cache'),
  };
}

/** Milliseconds from spawning `entry` to its first 200 on /readyz; the process is stopped before returning. */
async function timeToReady(entry: string, env: NodeJS.ProcessEnv): Promise<number> {
  const start = process.hrtime.bigint();
  const child = spawn(process.execPath, [entry], { cwd: API_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await withTimeout(listeningUrl(child), READY_TIMEOUT_MS, `${entry} did not print its URL`);
    await withTimeout(pollUntilReady(`${url}/readyz`, child), READY_TIMEOUT_MS, `${url}/readyz never answered 200`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  } finally {
    await stop(child);
  }
}

/** The `url` of the first JSON line on stdout that has one; rejects if the process exits first. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
    // Keeps reading after the URL too, so a chatty child never blocks on a full pipe.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const url = urlIn(line);
      if (url) resolve(url);
    });
    child.once('exit', (code, signal) => reject(new Error(`exited (${code ?? signal}) before listening:\n${stderr}`)));
  });
}

function urlIn(line: string): string | null {
  if (!line.startsWith('{')) return null;
  try {
    const parsed: unknown = JSON.parse(line);
    const url = (parsed as { url?: unknown }).url;
    return typeof url === 'string' ? url : null;
  } catch {
    return null;
  }
}

async function pollUntilReady(url: string, child: ChildProcess): Promise<void> {
  while ((await statusOf(url).catch(() => 0)) !== 200) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited before ${url} answered 200`);
    await sleep(POLL_INTERVAL_MS);
  }
}

/** Status of a GET on a fresh connection (node:http, so the poll does not pay for loading fetch). */
function statusOf(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on('error', reject);
  });
}

/** SIGTERM to the child's PID, then SIGKILL if it has not exited in time; resolves once it has exited. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
