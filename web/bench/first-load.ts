/**
 * P8: first-load JavaScript of the console, gzip-compressed as the server sends it. Builds the console into a
 * temporary folder with Vite's manifest, then follows each route's chunk graph: the entry with its static
 * imports, plus the lazily loaded page the route shows first (and that page's static imports), plus graphql-ws
 * for pages that subscribe as they open (the client loads it with the first subscription). The browser test
 * checks the same on a real direct load of /editor (web/test/console.browser.test.ts).
 *
 *   node bench/first-load.ts      (npm run bench -w @accessflow/web)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const WEB = fileURLToPath(new URL('..', import.meta.url));
const GOAL_BYTES = 150 * 1024;

interface Chunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  src?: string;
}

const out = mkdtempSync(join(tmpdir(), 'accessflow-p8-'));
try {
  await build({ root: WEB, configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn', build: { outDir: out, manifest: true, emptyOutDir: true } });
  const manifest = JSON.parse(readFileSync(join(out, '.vite', 'manifest.json'), 'utf8')) as Record<string, Chunk>;
  const [entryKey] = Object.entries(manifest).find(([, chunk]) => chunk.isEntry) ?? [];
  if (!entryKey) throw new Error('no entry chunk in the manifest');
  const gz = (file: string) => gzipSync(readFileSync(join(out, file)), { level: 9 }).byteLength;
  /** A chunk and everything it imports statically. */
  const closure = (key: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(key)) return seen;
    seen.add(key);
    for (const next of manifest[key]?.imports ?? []) closure(next, seen);
    return seen;
  };
  const pageKey = (name: string) => Object.keys(manifest).find((key) => key.endsWith(`/pages/${name}.tsx`) || key === `src/pages/${name}.tsx`);
  const liveKey = Object.keys(manifest).find((key) => key.includes('node_modules/graphql-ws/'));
  if (!liveKey) throw new Error('no graphql-ws chunk in the manifest');
  // [route, page, subscribes as it opens]
  const routes: [string, string, boolean][] = [
    ['/login', 'SignIn', false],
    ['/ (dashboard)', 'Dashboard', false],
    ['/queries/:id', 'Request', true],
    ['/reviews', 'Reviews', true],
    ['/editor', 'Editor', false],
  ];
  const results: Record<string, { files: number; gzipBytes: number }> = {};
  for (const [route, page, live] of routes) {
    const key = pageKey(page);
    if (!key) throw new Error(`no chunk for page ${page}`);
    const keys = closure(key, closure(entryKey));
    if (live) closure(liveKey, keys);
    const files = [...keys].map((k) => manifest[k]!.file).filter((f) => f.endsWith('.js'));
    results[route] = { files: files.length, gzipBytes: files.reduce((sum, f) => sum + gz(f), 0) };
  }
  const entryOnly = [...closure(entryKey)].map((k) => manifest[k]!.file).filter((f) => f.endsWith('.js'));
  const entryBytes = entryOnly.reduce((sum, f) => sum + gz(f), 0);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
  console.log(`P8 app shell (entry + static imports, ${entryOnly.length} files): ours ${kb(entryBytes)} gzip`);
  for (const [route, r] of Object.entries(results)) {
    console.log(`P8 first-load JS ${route}: ours ${kb(r.gzipBytes)}, goal ${kb(GOAL_BYTES)}, ratio ${(r.gzipBytes / GOAL_BYTES).toFixed(2)} (${r.files} files)`);
  }
  const resultsDir = join(WEB, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'p8-first-load.json'), `${JSON.stringify({ goalBytes: GOAL_BYTES, shellBytes: entryBytes, routes: results }, null, 2)}\n`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
