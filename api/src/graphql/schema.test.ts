import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { printSdl } from './schema.ts';

it('schema/schema.graphql is what the server prints (run `npm run schema` after changing the schema)', async () => {
  const committed = await readFile(new URL('../../../schema/schema.graphql', import.meta.url), 'utf8');
  expect(committed).toBe(printSdl());
});
