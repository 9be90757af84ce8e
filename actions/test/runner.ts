/**
 * Runs an action the way the GitHub runner does for `runs.using: node24`: `node <action>/dist/index.mjs` with
 * each input as `INPUT_<NAME>`, the runner's environment, and `GITHUB_OUTPUT` / `GITHUB_STEP_SUMMARY` files,
 * which it then reads back. Also runs the CLI bundle the way `npx @accessflow/cli` would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ACTIONS_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI = join(ACTIONS_ROOT, 'cli/dist/accessflow.mjs');

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ActionRun extends Finished {
  outputs: Record<string, string>;
  summary: string;
}

/** The runner's variables for one step of one run; the same `runId` with another `attempt` is a re-run. */
export function runnerEnv(runId: string, attempt = 1, step = 'migrate'): Record<string, string> {
  return {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_RUN_ID: runId,
    GITHUB_RUN_ATTEMPT: String(attempt),
    GITHUB_JOB: 'deploy',
    GITHUB_ACTION: step,
    GITHUB_WORKFLOW: 'deploy',
  };
}

/** Environment of a child: this process's PATH and HOME only, so nothing of the test run leaks in. */
function baseEnv(): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' };
}

export function finished(child: ChildProcess): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface StartedAction {
  child: ChildProcess;
  done: Promise<ActionRun>;
}

export async function startAction(action: string, inputs: Record<string, string>, env: Record<string, string>, cwd?: string): Promise<StartedAction> {
  const dir = await mkdtemp(join(tmpdir(), 'accessflow-runner-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary.md');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const inputEnv = Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replaceAll(' ', '_').toUpperCase()}`, value]));
  const child = spawn(process.execPath, [join(ACTIONS_ROOT, action, 'dist/index.mjs')], {
    cwd: cwd ?? dir,
    env: { ...baseEnv(), RUNNER_TEMP: dir, GITHUB_WORKSPACE: cwd ?? dir, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, ...env, ...inputEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const done = finished(child).then(async (result) => {
    const run = { ...result, outputs: parseOutputs(await readFile(outputFile, 'utf8')), summary: await readFile(summaryFile, 'utf8') };
    await rm(dir, { recursive: true, force: true });
    return run;
  });
  return { child, done };
}

export async function runAction(action: string, inputs: Record<string, string>, env: Record<string, string>, cwd?: string): Promise<ActionRun> {
  return (await startAction(action, inputs, env, cwd)).done;
}

/** `name<<DELIMITER` … `DELIMITER` blocks, as @actions/core writes them to GITHUB_OUTPUT. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!match) continue;
    const [, name, delimiter] = match;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
    outputs[name!] = value.join('\n');
  }
  return outputs;
}

export function startCli(args: string[], env: Record<string, string>, cwd?: string): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: cwd ?? ACTIONS_ROOT, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return { child, done: finished(child) };
}

export function runCli(args: string[], env: Record<string, string>, cwd?: string): Promise<Finished> {
  return startCli(args, env, cwd).done;
}
