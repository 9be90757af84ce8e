/** The cost limit holds whether a page size is written in the query or passed as a variable. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, setupFirstOrg, type Org, type TestApp } from '../../test/harness.ts';

let t: TestApp;
let org: Org;

beforeAll(async () => {
  t = await createTestApp({ env: { GRAPHQL_MAX_COST: '400' } });
  org = await setupFirstOrg(t);
});
afterAll(() => t.close());

const LIST = (first: string) => `{ users(first: ${first}) { edges { node { id email displayName role active createdAt } } } }`;

it('refuses a costly page as a literal and as a variable alike, and admits a small one', async () => {
  const literal = await t.gql(LIST('100'), undefined, org.admin);
  expect(literal.errors?.[0]?.message).toMatch(/Query Cost limit of 400 exceeded/);

  const variable = await t.gql(`query($n: Int) ${LIST('$n')}`, { n: 100 }, org.admin);
  expect(variable.errors?.[0]?.message).toMatch(/Query Cost limit of 400 exceeded/);
  // Absent, a variable page counts as the largest page the server would return.
  const absent = await t.gql(`query($n: Int) ${LIST('$n')}`, {}, org.admin);
  expect(absent.errors?.[0]?.message).toMatch(/Query Cost limit of 400 exceeded/);

  const small = await t.gql<{ users: { edges: unknown[] } }>(`query($n: Int) ${LIST('$n')}`, { n: 2 }, org.admin);
  expect(small.errors).toBeUndefined();
  expect(small.data!.users.edges).toHaveLength(1);
});
