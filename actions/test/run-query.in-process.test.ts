/**
 * The run-query action's `run()` called in this process, as the runner's node would call it: inputs in
 * `process.env` as INPUT_*, outputs and the summary appended to the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files.
 * (The bundle itself, signals and re-runs are exercised in run-query.action.test.ts.)
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { run } from '../run-query/src/main.ts';
import { parseOutputs, runnerEnv } from './runner.ts';
import { createWorld, type World } from './world.ts';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world?.close();
});

async function runInProcess(inputs: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), 'accessflow-in-process-'));
  const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STEP_SUMMARY: join(dir, 'summary.md') };
  await writeFile(files.GITHUB_OUTPUT, '');
  await writeFile(files.GITHUB_STEP_SUMMARY, '');
  const env: Record<string, string> = {
    ...runnerEnv(randomUUID()),
    ...files,
    ACCESSFLOW_ENDPOINT: world.endpoint,
    ACCESSFLOW_API_KEY: world.keys.deployer,
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  };
  const saved = { ...process.env };
  const listeners = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  const written: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  Object.assign(process.env, env);
  process.stdout.write = ((chunk: string | Uint8Array) => (written.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    await run();
    return { exitCode: process.exitCode, stdout: written.join(''), outputs: parseOutputs(await readFile(files.GITHUB_OUTPUT, 'utf8')), summary: await readFile(files.GITHUB_STEP_SUMMARY, 'utf8') };
  } finally {
    process.stdout.write = write;
    for (const key of Object.keys(env)) delete process.env[key];
    Object.assign(process.env, saved);
    process.exitCode = undefined;
    // Only the handlers run() added (the runner's process would exit here).
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      for (const listener of process.listeners(signal)) if (!listeners[signal].includes(listener)) process.removeListener(signal, listener);
    }
  }
}

it('in process: an auto-approved read sets its outputs and summary', async () => {
  const result = await runInProcess({ datasource: 'crm', sql: 'select name from customers where id = 2' });
  expect(result.exitCode).toBeUndefined();
  expect(result.outputs).toMatchObject({ status: 'EXECUTED', 'result-json': expect.stringContaining('"rows":[["Bob"]]') });
  expect(result.summary).toContain('<td>Bob</td>');
});

it('in process: an unknown datasource fails the step with exit code 2 and one error annotation', async () => {
  const result = await runInProcess({ datasource: 'nope', sql: 'select 1' });
  expect(result.exitCode).toBe(2);
  expect(result.stdout.match(/::error/g)).toHaveLength(1);
  expect(result.stdout).toContain('no datasource named "nope"');
});
