/**
 * Builds the console unless web/dist already holds a build of the current sources. `npm start` runs this
 * first, so a fresh clone (or a pulled change) serves an up-to-date console without a separate step.
 * The sources' hash is kept in dist/.source-hash; comparing it costs a few milliseconds.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(WEB, 'dist');
const HASH_FILE = join(DIST, '.source-hash');
const INPUTS = ['index.html', 'vite.config.ts', 'package.json', 'src'];

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

function builtHash(): string | null {
  try {
    return readFileSync(HASH_FILE, 'utf8').trim();
  } catch {
    return null;
  }
}

if (import.meta.main) {
  const current = sourceHash();
  if (builtHash() === current) process.exit(0);
  const started = Date.now();
  process.stderr.write('building the console (web/dist is missing or older than its sources)…\n');
  const { build } = await import('vite');
  await build({ root: WEB, configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(HASH_FILE, `${current}\n`);
  process.stderr.write(`console built in ${Date.now() - started} ms\n`);
}
