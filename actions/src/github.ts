/**
 * What the three GitHub Actions share: inputs with the seed's names and `ACCESSFLOW_*` defaults, the client,
 * masking of secrets, stopping on the runner's signals, and failing with the CLI's exit codes.
 */
import * as core from '@actions/core';
import { userAgent } from './ci.ts';
import { GraphQLClient } from './client.ts';
import { CliError, EXIT, type ExitCode } from './errors.ts';
import { VERSION } from './version.ts';

/** An input, trimmed; empty when not given. */
export function input(name: string): string {
  return core.getInput(name);
}

export function booleanInput(name: string, fallback: boolean): boolean {
  const value = core.getInput(name).trim().toLowerCase();
  if (!value) return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new CliError(`input ${name} must be true or false; got ${value}`, EXIT.USAGE);
}

export function secondsInput(name: string, fallback: number): number {
  const text = core.getInput(name);
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new CliError(`input ${name} must be a number of seconds; got ${text}`, EXIT.USAGE);
  return value;
}

/** `endpoint` / `api-key`, defaulting to ACCESSFLOW_ENDPOINT / ACCESSFLOW_API_KEY; the key is masked in logs. */
export function clientFromInputs(): GraphQLClient {
  const apiKey = input('api-key') || process.env['ACCESSFLOW_API_KEY'] || '';
  if (apiKey) core.setSecret(apiKey);
  const endpoint = input('endpoint') || process.env['ACCESSFLOW_ENDPOINT'] || '';
  return new GraphQLClient({ endpoint, apiKey, ci: true, userAgent: userAgent(VERSION, process.env) });
}

/** Aborted when the runner stops the step (SIGINT, then SIGTERM, on cancellation or timeout). */
export function stopSignal(): AbortSignal {
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort(signal));
  return stop.signal;
}

/** Fails the step with an error annotation and the CLI's exit code. */
export function fail(error: unknown, annotation: core.AnnotationProperties = {}): void {
  const message = error instanceof Error ? error.message : String(error);
  const exitCode: ExitCode = error instanceof CliError ? error.exitCode : EXIT.UNREACHABLE;
  // core.setFailed would add a second, location-less annotation: one error annotation, then the exit code.
  core.error(message, { title: 'AccessFlow', ...annotation });
  process.exitCode = exitCode;
}

/** Ends the step with `exitCode`: 0 passes; anything else fails it with `message` as an error annotation. */
export function finish(exitCode: ExitCode, message: string, annotation: core.AnnotationProperties = {}): void {
  if (exitCode === EXIT.OK) {
    core.info(message);
    return;
  }
  fail(new CliError(message, exitCode), annotation);
}
