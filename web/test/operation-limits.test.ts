/**
 * Every operation the console sends passes the server's own request limits (depth, cost, tokens, aliases):
 * each document of src/graphql/generated.ts is sent to a real server and must not be refused for its shape.
 */
import { print, type DocumentNode } from 'graphql';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../api/test/harness.ts';
import * as generated from '../src/graphql/generated.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const documents = Object.entries(generated).filter(([name]) => name.endsWith('Document')) as [string, DocumentNode][];

it('has the documents to check', () => {
  expect(documents.length).toBeGreaterThan(40);
});

it.each(documents.filter(([, d]) => !print(d).startsWith('subscription')))('%s is within the server limits', async (_name, document) => {
  const response = await t.gql(print(document), {});
  const refused = (response.errors ?? []).filter((e) => /limit of \d+ exceeded/i.test(e.message));
  expect(refused.map((e) => e.message)).toEqual([]);
});
