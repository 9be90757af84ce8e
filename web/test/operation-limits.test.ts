/**
 * Every operation the console sends passes the server's own request limits (depth, cost, tokens, aliases):
 * each document of src/graphql/*.documents.ts is sent to a real server and must not be refused for its shape.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../api/test/harness.ts';
import { GRAPHQL_DIR } from '../scripts/codegen.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const modules = readdirSync(GRAPHQL_DIR).filter((name) => name.endsWith('.documents.ts'));
const documents = (await Promise.all(modules.map(async (name) => Object.entries((await import(GRAPHQL_DIR + name)) as Record<string, string>)))).flat();

it('has the documents to check', () => {
  expect(documents.length).toBeGreaterThan(40);
});

it.each(documents.filter(([, text]) => !text.startsWith('subscription')))('%s is within the server limits', async (_name, text) => {
  const response = await t.gql(text, {});
  const refused = (response.errors ?? []).filter((e) => /limit of \d+ exceeded/i.test(e.message));
  expect(refused.map((e) => e.message)).toEqual([]);
});
