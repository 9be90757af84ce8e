/**
 * Builds the console unless web/dist already holds a build of the current sources. `npm start` runs this
 * with --background: the server starts at once and serves the console as soon as the build is in place (the
 * console answers 503 until then). The sources' hash is kept in dist/.source-hash; comparing it costs a few
 * milliseconds.
 *
 * Several starts at once (tests start servers in parallel) build once: a lock directory serialises builders,
 * and each build is written to a fresh folder that then replaces dist, so a server never serves half a build.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const WEB = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(WEB, 'dist');
const HASH_FILE = '.source-hash';
const LOCK = join(WEB, '.build-lock');
const INPUTS = ['index.html', 'vite.config.ts', 'package.json', 'src'];
const LOCK_WAIT_MS = 5 * 60_000;

function files(path: string): string[] {
  const entries = readdirSync(path, { withFileTypes: true });
  return entries.flatMap((e) => (e.isDirectory() ? files(join(path, e.name)) : [join(path, e.name)]));
}

/** One hash over every input file's path and content. */
export function sourceHash(): string {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    const full = join(WEB, input);
    const list = input.includes('.') ? [full] : files(full).sort();
    for (const file of list) hash.update(relative(WEB, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

const upToDate = (hash: string) => {
  try {
    return readFileSync(join(DIST, HASH_FILE), 'utf8').trim() === hash;
  } catch {
    return false;
  }
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Takes the build lock, waiting for a live holder and breaking a dead one's. */
async function lock(): Promise<() => void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(join(LOCK, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
      if (holder && !alive(holder)) rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`another console build (${LOCK}) did not finish in time`);
      else await sleep(200);
    }
  }
}

/** Builds into a fresh folder, then swaps it in for dist. */
export async function ensureBuilt(): Promise<void> {
  if (upToDate(sourceHash())) return;
  const unlock = await lock();
  try {
    const hash = sourceHash();
    if (upToDate(hash)) return; // another process built it while this one waited
    const started = Date.now();
    process.stderr.write('building the console (web/dist is missing or older than its sources)…\n');
    const next = join(WEB, `.dist-${process.pid}`);
    // Always the production build: a caller's NODE_ENV (vitest sets `test`) would otherwise bundle Solid's
    // development build, which the content hash cannot tell apart.
    process.env['NODE_ENV'] = 'production';
    const { build } = await import('vite');
    await build({ root: WEB, configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn', build: { outDir: next, emptyOutDir: true } });
    writeFileSync(join(next, HASH_FILE), `${hash}\n`);
    const old = join(WEB, `.dist-old-${process.pid}`);
    try {
      renameSync(DIST, old);
    } catch {
      // no previous build
    }
    renameSync(next, DIST);
    rmSync(old, { recursive: true, force: true });
    process.stderr.write(`console built in ${Date.now() - started} ms\n`);
  } finally {
    unlock();
  }
}

if (import.meta.main) {
  if (process.argv.includes('--background')) {
    // The server need not wait: when a build is due, a detached child does it and this returns at once.
    if (!upToDate(sourceHash())) {
      const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], { detached: true, stdio: ['ignore', 'ignore', 'inherit'] });
      child.unref();
      // Below the server's priority, so the API's own start is not slowed by the build.
      if (child.pid) setPriority(child.pid, 10);
    }
  } else {
    await ensureBuilt();
  }
}
