/** The job runner: runs at start, again when woken or when the job says it is due, never twice at once, and survives a failing run. */
import { expect, it } from 'vitest';
import { createLogger } from '../../logger.ts';
import { JobRunner } from './job-runner.ts';

const log = createLogger('silent');

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

it('runs each job at start and again at the due moment it names', async () => {
  const second = deferred();
  let runs = 0;
  const runner = new JobRunner(log, [
    {
      name: 'due',
      everyMs: 3_600_000,
      run: async () => {
        runs += 1;
        if (runs === 2) second.resolve();
        return { nextDueAt: runs === 1 ? new Date(Date.now() + 20) : null };
      },
    },
  ]);
  await runner.start();
  expect(runs).toBe(1);
  await second.promise;
  await runner.stop();
  expect(runs).toBe(2);
});

it('runs a job woken while running once more afterwards, never concurrently, and keeps going after an error', async () => {
  const release = deferred();
  const third = deferred();
  let active = 0;
  let maxActive = 0;
  let runs = 0;
  const runner = new JobRunner(log, [
    {
      name: 'busy',
      everyMs: 3_600_000,
      run: async () => {
        runs += 1;
        active += 1;
        maxActive = Math.max(maxActive, active);
        if (runs === 2) await release.promise;
        active -= 1;
        if (runs === 2) throw new Error('this run fails');
        if (runs === 3) third.resolve();
      },
    },
  ]);
  await runner.start();
  runner.wake('busy');
  runner.wake('busy');
  runner.wake('busy');
  release.resolve();
  await third.promise;
  await runner.stop();
  expect(runs).toBe(3);
  expect(maxActive).toBe(1);
  runner.wake('busy');
  expect(runs).toBe(3);
});
