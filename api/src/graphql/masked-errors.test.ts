import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, setupFirstOrg, superuserQuery, type Org, type TestApp } from '../../test/harness.ts';

let t: TestApp;
let org: Org;
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  t = await createTestApp({ log: pino({ level: 'error' }, sink) });
  org = await setupFirstOrg(t);
});
afterAll(() => t.close());

it('masks an unexpected failure to an error id that finds the log line, with no internals in the answer', async () => {
  // Break the store under the server: the next read of groups fails inside the database driver.
  await superuserQuery(t.databaseUrl!, 'alter table user_groups rename to user_groups_moved');
  const result = await t.gql('{ userGroups { edges { node { id } } } }', undefined, org.admin);
  await superuserQuery(t.databaseUrl!, 'alter table user_groups_moved rename to user_groups');

  const error = result.errors?.[0];
  expect(error?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  const errorId = error?.extensions?.['errorId'] as string;
  expect(errorId).toMatch(/^[0-9a-f-]{36}$/);
  expect(error?.message).toBe(`internal error; reference ${errorId} in the server log`);
  expect(JSON.stringify(result)).not.toMatch(/user_groups|relation|stack|at \w+ \(/);

  const logged = logLines.find((line) => line['errorId'] === errorId);
  expect(logged?.['msg']).toBe('unexpected error while resolving a request');
  expect(JSON.stringify(logged?.['err'])).toMatch(/user_groups/);
});
