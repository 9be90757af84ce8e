/** The committed bundles are exactly what `npm run build -w @accessflow/actions` makes from the sources. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { bundles, ROOT } from '../scripts/bundles.ts';

it('every committed dist/ bundle is up to date (run `npm run build -w @accessflow/actions`)', async () => {
  const built = await bundles();
  expect(built.map((b) => b.path).sort()).toEqual(['cli/dist/accessflow.mjs', 'provision-datasource/dist/index.mjs', 'run-query/dist/index.mjs', 'sql-review/dist/index.mjs']);
  for (const { path, text } of built) {
    const committed = await readFile(join(ROOT, path), 'utf8').catch(() => '<missing>');
    expect(committed === text, `${path} is stale: run npm run build -w @accessflow/actions`).toBe(true);
  }
});

it('the CLI package publishes one file and depends on nothing at run time', async () => {
  const manifest = JSON.parse(await readFile(join(ROOT, 'cli/package.json'), 'utf8')) as Record<string, unknown>;
  expect(manifest['name']).toBe('@accessflow/cli');
  expect(manifest['bin']).toEqual({ accessflow: 'dist/accessflow.mjs' });
  expect(manifest['dependencies']).toBeUndefined();
  const bundle = await readFile(join(ROOT, 'cli/dist/accessflow.mjs'), 'utf8');
  expect(bundle.startsWith('#!/usr/bin/env node\n')).toBe(true);
  // Only Node's own modules are imported; everything else is inside the file.
  const imports = [...bundle.matchAll(/^import .* from ['"]([^'"]+)['"];?$/gm), ...bundle.matchAll(/require\(['"]([^'"]+)['"]\)/g)].map((m) => m[1]!);
  expect(imports.filter((name) => !name.startsWith('node:') && !['fs', 'path', 'os', 'crypto', 'events', 'util', 'stream', 'http', 'https', 'net', 'tls', 'url', 'zlib', 'buffer', 'child_process', 'assert'].includes(name))).toEqual([]);
});
