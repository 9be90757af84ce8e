/**
 * Exit codes of the `accessflow` CLI and the actions (documented in docs/actions/README.md), and the one error
 * type that carries them.
 */
export const EXIT = {
  /** Done: the query ran (or was approved, without `--execute`), the datasource is provisioned, the review is clean. */
  OK: 0,
  /** Governance said no: rejected, changes requested, cancelled, refused at submission, quota; or the review found blocking statements. */
  DENIED: 1,
  /** Bad input: a missing or invalid option, an unknown datasource, a SQL file that does not exist. */
  USAGE: 2,
  /** The statement ran and failed, or the datasource's connection test failed. */
  FAILED: 3,
  /** Still not finished when `--timeout-seconds` ran out (or timed out on the server). */
  TIMEOUT: 4,
  /** The API key is missing, wrong, expired or revoked, or its role may not do this. */
  AUTH: 5,
  /** AccessFlow could not be reached (or kept failing) for longer than the retry budget. */
  UNREACHABLE: 6,
  /** Stopped by SIGINT (128 + 2); a pending request was cancelled first. */
  INTERRUPTED: 130,
  /** Stopped by SIGTERM (128 + 15), as when a CI job is cancelled; a pending request was cancelled first. */
  TERMINATED: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** The server could not be reached or answered 5xx: safe to retry an idempotent call. */
export class UnreachableError extends CliError {
  constructor(message: string) {
    super(message, EXIT.UNREACHABLE);
    this.name = 'UnreachableError';
  }
}
