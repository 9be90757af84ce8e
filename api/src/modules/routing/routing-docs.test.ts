/**
 * docs/routing.md runs as written: every `graphql` block is sent as the admin, and the `json` block after it is
 * the `data` the response must contain. The worked policies and what simulateRouting shows about them are
 * therefore the behaviour of this code, not a description of it.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createPostgresDatabase } from '../../../test/servers.ts';
import { createTestApp, ok, setupFirstOrg, superuserQuery, type Org, type TestApp } from '../../../test/harness.ts';

const DOC = readFileSync(new URL('../../../../docs/routing.md', import.meta.url), 'utf8');

interface Example {
  operation: string;
  expected: unknown;
}

/** The doc's `graphql` blocks, each with the `json` block that follows it. */
function examples(markdown: string): Example[] {
  const blocks = [...markdown.matchAll(/^```(graphql|json)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, body: m[2]! }));
  const result: Example[] = [];
  for (const [index, block] of blocks.entries()) {
    if (block.lang !== 'graphql') continue;
    const next = blocks[index + 1];
    if (next?.lang !== 'json') throw new Error(`docs/routing.md: the graphql block ${result.length + 1} has no json result after it`);
    result.push({ operation: block.body, expected: JSON.parse(next.body) });
  }
  return result;
}

let t: TestApp;
let org: Org;
let datasourceId: string;

beforeAll(async () => {
  t = await createTestApp();
  org = await setupFirstOrg(t);
  const targetUrl = await createPostgresDatabase(inject('postgresUrl'));
  await superuserQuery(targetUrl, 'create schema payroll; create table payroll.salaries (id int primary key, amount int); create table orders (id int primary key, total int);');
  const url = new URL(targetUrl);
  const created = ok(await t.gql<{ upsertDatasource: { data?: { id: string }; message?: string } }>(
    `mutation($input: UpsertDatasourceInput!) { upsertDatasource(input: $input) { ... on MutationUpsertDatasourceSuccess { data { id } } ... on Error { message } } }`,
    { input: { name: 'hr', dbType: 'POSTGRESQL', host: url.hostname, port: Number(url.port), databaseName: url.pathname.slice(1), username: 'postgres' } },
    org.admin,
  ));
  datasourceId = created.upsertDatasource.data!.id;
});
afterAll(() => t.close());

it('has the three worked policies and their simulations', () => {
  const all = examples(DOC);
  expect(all.filter((e) => e.operation.includes('upsertRoutingPolicy'))).toHaveLength(3);
  expect(all.filter((e) => e.operation.includes('simulateRouting')).length).toBeGreaterThanOrEqual(5);
});

it('runs every example of docs/routing.md with the documented result', async () => {
  for (const example of examples(DOC)) {
    const variables = example.operation.includes('$datasourceId') ? { datasourceId } : undefined;
    const data = ok(await t.gql(example.operation, variables, org.admin));
    expect(data, example.operation).toMatchObject(example.expected as Record<string, unknown>);
  }
});
