/**
 * What the CI system tells us about where we run: the idempotency key of a submission (the run, not the
 * attempt, plus the job and step, so a re-run returns the same request) and a user agent.
 */
import { createHash } from 'node:crypto';

export type CiSystem = 'github' | 'gitlab' | null;

export function detectCi(env: NodeJS.ProcessEnv): CiSystem {
  if (env['GITHUB_ACTIONS'] === 'true' && env['GITHUB_RUN_ID']) return 'github';
  if (env['GITLAB_CI'] === 'true' && env['CI_PIPELINE_ID']) return 'gitlab';
  return null;
}

/**
 * The `clientRequestId` for a submission from this CI step, or null outside CI. GitHub: repository, run id,
 * job and step id (`GITHUB_ACTION`), never `GITHUB_RUN_ATTEMPT`. GitLab: project, pipeline and job name (a
 * retried job gets a new `CI_JOB_ID` but keeps its name). `key` distinguishes several submissions of one
 * step (matrix legs, a loop in a script).
 */
export function ciRequestId(env: NodeJS.ProcessEnv, key: string | undefined): string | null {
  const suffix = key ? `:${key}` : '';
  switch (detectCi(env)) {
    case 'github':
      return clip(`github:${env['GITHUB_REPOSITORY'] ?? ''}:${env['GITHUB_RUN_ID']}:${env['GITHUB_JOB'] ?? ''}:${env['GITHUB_ACTION'] ?? ''}${suffix}`);
    case 'gitlab':
      return clip(`gitlab:${env['CI_PROJECT_ID'] ?? ''}:${env['CI_PIPELINE_ID']}:${env['CI_JOB_NAME'] ?? ''}${suffix}`);
    default:
      return key ? clip(`key:${key}`) : null;
  }
}

/** The server accepts up to 200 characters: keep the readable head and make the tail unique. */
function clip(id: string): string {
  if (id.length <= 200) return id;
  return `${id.slice(0, 183)}~${createHash('sha256').update(id).digest('hex').slice(0, 16)}`;
}

export function userAgent(version: string, env: NodeJS.ProcessEnv): string {
  const ci = detectCi(env);
  return `accessflow-cli/${version}${ci ? ` (${ci})` : ''} node/${process.versions.node}`;
}
