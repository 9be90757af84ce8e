/** Writes schema/schema.graphql from the server's schema. `--check` fails when the committed file is stale. */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { printSdl } from '../src/graphql/schema.ts';

const target = fileURLToPath(new URL('../../schema/schema.graphql', import.meta.url));
const sdl = printSdl();
if (process.argv.includes('--check')) {
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== sdl) {
    console.error('schema/schema.graphql is stale: run `npm run schema` and commit the result');
    process.exit(1);
  }
  console.log('schema/schema.graphql is up to date');
} else {
  await writeFile(target, sdl);
  console.log(`wrote ${target}`);
}
