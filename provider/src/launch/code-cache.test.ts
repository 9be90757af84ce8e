import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cacheDirectory, privateDirectory } from './code-cache.ts';

const run = promisify(execFile);
const codeCache = fileURLToPath(new URL('./code-cache.ts', import.meta.url));

/** Runs `bundle` through runWithCodeCache in a fresh Node process (as launch.cjs does); returns its output and the outcome. */
async function launch(bundle: string, cacheDir: string | null): Promise<{ output: string; outcome: string }> {
  const script = `import { runWithCodeCache } from ${JSON.stringify(codeCache)}; const outcome = runWithCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(cacheDir)}); process.stdout.write('|' + outcome);`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
  const [output = '', outcome = ''] = stdout.split('|');
  return { output, outcome };
}

const BUNDLE = (greeting: string) =>
  `"use strict";\nconst { sep } = require('node:path');\nfunction greet(name) { return ${JSON.stringify(greeting)} + ' ' + name + sep.length; }\nmodule.exports = greet;\nprocess.stdout.write(greet(require('node:path').basename(__filename)));\n`;

const cacheFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.v8'));

describe('the provider bundle run from a V8 code cache', () => {
  it('writes a private cache after the first run, uses it next, survives a corrupt one and replaces a stale one', async () => {
    const work = mkdtempSync(join(tmpdir(), 'af-code-cache-'));
    const cacheDir = join(work, 'cache');
    mkdirSync(cacheDir, { mode: 0o700 });
    const bundle = join(work, 'provider.cjs');
    writeFileSync(bundle, BUNDLE('hello'));

    expect(await launch(bundle, cacheDir)).toEqual({ output: 'hello provider.cjs1', outcome: 'miss' });
    const [first] = cacheFiles(cacheDir);
    expect(first).toMatch(/^provider-[0-9a-f]{32}\.v8$/);
    expect(statSync(join(cacheDir, first ?? '')).mode & 0o777).toBe(0o600);

    expect(await launch(bundle, cacheDir)).toEqual({ output: 'hello provider.cjs1', outcome: 'hit' });

    writeFileSync(join(cacheDir, first ?? ''), Buffer.alloc(4096, 7));
    expect(await launch(bundle, cacheDir)).toEqual({ output: 'hello provider.cjs1', outcome: 'rejected' });
    expect(readFileSync(join(cacheDir, first ?? ''))).not.toEqual(Buffer.alloc(4096, 7));
    expect(await launch(bundle, cacheDir)).toEqual({ output: 'hello provider.cjs1', outcome: 'hit' });

    // Same length, other code: V8 alone would accept the old cache; the content key does not.
    writeFileSync(bundle, BUNDLE('howdy'));
    expect(await launch(bundle, cacheDir)).toEqual({ output: 'howdy provider.cjs1', outcome: 'miss' });
    const [second] = cacheFiles(cacheDir);
    expect(cacheFiles(cacheDir)).toHaveLength(1);
    expect(second).not.toBe(first);

    expect(await launch(bundle, null)).toEqual({ output: 'howdy provider.cjs1', outcome: 'off' });
    // A directory nothing can be written to (not even by root, as these tests may run): it runs and exits 0.
    expect(await launch(bundle, '/proc')).toEqual({ output: 'howdy provider.cjs1', outcome: 'miss' });
  });

  it('keeps its cache only in a directory no one else can write to', () => {
    const work = mkdtempSync(join(tmpdir(), 'af-cache-dir-'));
    const shared = join(work, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    expect(privateDirectory(shared)).toBe(false);
    const link = join(work, 'link');
    mkdirSync(join(work, 'target'), { mode: 0o700 });
    symlinkSync(join(work, 'target'), link);
    expect(privateDirectory(link)).toBe(false);
    writeFileSync(join(work, 'file'), '');
    expect(privateDirectory(join(work, 'file', 'below'))).toBe(false);
    expect(privateDirectory(join(work, 'fresh', 'nested'))).toBe(true);
    expect(statSync(join(work, 'fresh', 'nested')).mode & 0o777).toBe(0o700);

    // An unusable XDG cache falls back to the home cache; an unusable home to a per-user temporary folder.
    const xdg = join(work, 'xdg');
    mkdirSync(join(xdg, 'accessflow-provider'), { recursive: true });
    chmodSync(join(xdg, 'accessflow-provider'), 0o777);
    const home = join(work, 'home');
    expect(cacheDirectory({ XDG_CACHE_HOME: xdg, HOME: home })).toBe(join(home, '.cache', 'accessflow-provider'));
    expect(cacheDirectory({ XDG_CACHE_HOME: join(work, 'file'), HOME: join(work, 'file') })).toBe(join(tmpdir(), `accessflow-provider-${process.getuid?.() ?? 'user'}`));
  });
});
