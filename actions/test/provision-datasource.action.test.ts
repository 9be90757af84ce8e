/** The provision-datasource action, run as the runner runs it, against a real server and a real PostgreSQL target. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAction, runnerEnv } from './runner.ts';
import { createWorld, type World } from './world.ts';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world?.close();
});

function target() {
  const url = new URL(world.targetUrl);
  return { 'db-type': 'POSTGRESQL', host: url.hostname, port: url.port, 'database-name': url.pathname.slice(1), username: 'postgres', password: 'never-printed-secret' };
}

async function datasources() {
  const data = await world.gql<{ datasources: { edges: { node: { id: string; name: string; sslMode: string; maxRowsPerQuery: number } }[] } }>(
    `{ datasources(first: 100) { edges { node { id name sslMode maxRowsPerQuery } } } }`,
    {},
    world.keys.admin,
  );
  return data.datasources.edges.map((e) => e.node);
}

it('creates the datasource, tests its connection, and is idempotent on a second run; the password never reaches the log', async () => {
  const env = { ...runnerEnv(randomUUID()), ACCESSFLOW_ENDPOINT: world.endpoint, ACCESSFLOW_API_KEY: world.keys.admin };
  const first = await runAction('provision-datasource', { name: 'warehouse', ...target(), 'max-rows-per-query': '500' }, env);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(first.outputs).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), created: 'true', 'connection-ok': 'true' });
  expect(first.stdout).toContain('::add-mask::never-printed-secret');
  expect(first.stdout.replace('::add-mask::never-printed-secret', '')).not.toContain('never-printed-secret');
  expect(first.summary).toContain('<td>warehouse</td>');
  expect(first.summary).toContain('created');

  const second = await runAction('provision-datasource', { name: 'warehouse', ...target(), 'max-rows-per-query': '500' }, env);
  expect(second.code).toBe(0);
  expect(second.outputs).toMatchObject({ id: first.outputs['id'], created: 'false', 'connection-ok': 'true' });
  expect((await datasources()).filter((d) => d.name === 'warehouse')).toEqual([{ id: first.outputs['id'], name: 'warehouse', sslMode: 'DISABLE', maxRowsPerQuery: 500 }]);
});

it('bad input changes nothing: missing inputs, a bad db-type, an analyst key, an unreachable database', async () => {
  const env = { ...runnerEnv(randomUUID()), ACCESSFLOW_ENDPOINT: world.endpoint, ACCESSFLOW_API_KEY: world.keys.admin };
  const before = await datasources();

  const missing = await runAction('provision-datasource', { name: 'broken', 'db-type': 'POSTGRESQL' }, env);
  expect(missing.code).toBe(2);
  expect(missing.stdout).toContain('missing required input(s): host, database-name, username');

  const badType = await runAction('provision-datasource', { name: 'broken', ...target(), 'db-type': 'ORACLE' }, env);
  expect(badType.code).toBe(2);
  expect(badType.stdout).toContain('db-type must be one of POSTGRESQL, MYSQL, MARIADB');

  const analyst = await runAction('provision-datasource', { name: 'broken', ...target() }, { ...env, ACCESSFLOW_API_KEY: world.keys.deployer });
  expect(analyst.code).toBe(5);

  const unreachable = await runAction('provision-datasource', { name: 'broken', ...target(), port: '1' }, env);
  expect(unreachable.code).toBe(3);
  expect(unreachable.stdout).toContain('ConnectionFailed');

  expect(await datasources()).toEqual(before);
});
