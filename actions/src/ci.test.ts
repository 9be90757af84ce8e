/** The idempotency key of a CI submission: the run, not the attempt; the step; at most 200 characters. */
import { expect, it } from 'vitest';
import { ciRequestId, detectCi } from './ci.ts';

const github = { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '123', GITHUB_JOB: 'deploy', GITHUB_ACTION: 'migrate' };
const gitlab = { GITLAB_CI: 'true', CI_PROJECT_ID: '7', CI_PIPELINE_ID: '99', CI_JOB_NAME: 'migrate', CI_JOB_ID: '1001' };

it('GitHub: the same key for every attempt of a run, another for another step or run', () => {
  const first = ciRequestId({ ...github, GITHUB_RUN_ATTEMPT: '1' }, undefined);
  expect(first).toBe('github:acme/shop:123:deploy:migrate');
  expect(ciRequestId({ ...github, GITHUB_RUN_ATTEMPT: '3' }, undefined)).toBe(first);
  expect(ciRequestId({ ...github, GITHUB_ACTION: 'seed' }, undefined)).not.toBe(first);
  expect(ciRequestId({ ...github, GITHUB_RUN_ID: '124' }, undefined)).not.toBe(first);
  expect(ciRequestId(github, 'eu-west')).toBe('github:acme/shop:123:deploy:migrate:eu-west');
});

it('GitLab: a retried job (new CI_JOB_ID, same pipeline and name) keeps its key', () => {
  expect(ciRequestId(gitlab, undefined)).toBe('gitlab:7:99:migrate');
  expect(ciRequestId({ ...gitlab, CI_JOB_ID: '1002' }, undefined)).toBe('gitlab:7:99:migrate');
  expect(detectCi(gitlab)).toBe('gitlab');
});

it('outside CI: no key unless one is given; long keys are shortened but stay distinct', () => {
  expect(detectCi({})).toBeNull();
  expect(ciRequestId({}, undefined)).toBeNull();
  expect(ciRequestId({}, 'nightly')).toBe('key:nightly');
  const a = ciRequestId({ ...github, GITHUB_JOB: 'j'.repeat(300) }, 'a')!;
  const b = ciRequestId({ ...github, GITHUB_JOB: 'j'.repeat(300) }, 'b')!;
  expect(a.length).toBe(200);
  expect(b.length).toBe(200);
  expect(a).not.toBe(b);
});
