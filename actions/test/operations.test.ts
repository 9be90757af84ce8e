/** Every operation the CLI sends is valid against the committed schema, so a breaking API change fails here. */
import { readFile } from 'node:fs/promises';
import { buildSchema, parse, validate } from 'graphql';
import { expect, it } from 'vitest';
import { ALL_OPERATIONS } from '../src/operations.ts';

it.each(Object.entries(ALL_OPERATIONS))('%s is valid against schema/schema.graphql', async (_name, document) => {
  const schema = buildSchema(await readFile(new URL('../../schema/schema.graphql', import.meta.url), 'utf8'));
  expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
});
