/** Writes the bundles (see bundles.ts). `npm run build -w @accessflow/actions`. */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { bundles, ROOT } from './bundles.ts';

for (const { path, text } of await bundles()) {
  await mkdir(dirname(join(ROOT, path)), { recursive: true });
  await writeFile(join(ROOT, path), text);
  if (path.startsWith('cli/')) await chmod(join(ROOT, path), 0o755);
  process.stdout.write(`${path}: ${(text.length / 1024).toFixed(0)} KiB\n`);
}
