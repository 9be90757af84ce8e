/**
 * Runs the bundle (provider.cjs) from a V8 code cache taken at the end of a whole provider run. Terraform starts
 * the provider three times per plan, and Node's own compile cache only holds what V8 compiled before the bundle
 * ran — most functions compile lazily while it runs — so it saved ~20 ms a start where this one saves ~40 ms
 * (provider/bench/README.md).
 *
 * The cache is an optimisation only: any failure to read, validate or write it falls back to a plain run.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/**
 * A directory only this user can write to. V8 trusts a code cache's contents (it checks its version, flags and
 * the source's length, nothing more), so a cache another user could plant would run their code: never use one that is not
 * ours or that others may write.
 */
export function privateDirectory(path: string): boolean {
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
    const stat = lstatSync(path);
    const uid = process.getuid?.();
    return stat.isDirectory() && (uid === undefined || stat.uid === uid) && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** The user's cache directory (XDG), else a per-user folder in the temporary directory. */
export function cacheDirectory(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = [
    env['XDG_CACHE_HOME'] ? join(env['XDG_CACHE_HOME'], 'accessflow-provider') : null,
    env['HOME'] || homedir() ? join(env['HOME'] || homedir(), '.cache', 'accessflow-provider') : null,
    join(tmpdir(), `accessflow-provider-${process.getuid?.() ?? 'user'}`),
  ];
  return candidates.find((candidate): candidate is string => candidate !== null && privateDirectory(candidate)) ?? null;
}

/** What happened to the cache: none kept (`off`), none yet (`miss`), used (`hit`), or refused by V8 (`rejected`). */
export type CodeCacheOutcome = 'off' | 'miss' | 'hit' | 'rejected';

/** Runs the CommonJS bundle at `file` as `require(file)` would, with a code cache kept in `cacheDir`. */
export function runWithCodeCache(file: string, cacheDir: string | null): CodeCacheOutcome {
  const source = readFileSync(file, 'utf8');
  // Keyed by content, Node and architecture: V8 accepts a cache for any source of the same length.
  const key = createHash('sha256').update(source).update(process.version).update(process.arch).digest('hex').slice(0, 32);
  const cacheFile = cacheDir === null ? null : join(cacheDir, `provider-${key}.v8`);
  let cachedData: Buffer | undefined;
  try {
    if (cacheFile) cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const outcome: CodeCacheOutcome = cacheFile === null ? 'off' : !cachedData ? 'miss' : script.cachedDataRejected === true ? 'rejected' : 'hit';
  if (cacheDir !== null && cacheFile !== null && outcome !== 'hit') {
    // At exit the cache holds every function this run compiled (the RPCs it served included).
    process.once('exit', () => {
      const partial = `${cacheFile}.${process.pid}`;
      try {
        writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
        renameSync(partial, cacheFile);
        // One cache per directory: those of earlier builds would only accumulate.
        for (const name of readdirSync(cacheDir)) {
          if (/^provider-[0-9a-f]{32}\.v8$/.test(name) && join(cacheDir, name) !== cacheFile) rmSync(join(cacheDir, name), { force: true });
        }
      } catch {
        // A read-only or full disk: the next start compiles again (and nothing may throw on the way out).
        try {
          rmSync(partial, { force: true });
        } catch {
          // Nothing was written.
        }
      }
    });
  }
  const bundled = new Module(file);
  bundled.filename = file;
  const wrapper = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  wrapper.call(bundled.exports, bundled.exports, createRequire(file), bundled, file, dirname(file));
  return outcome;
}
