#!/usr/bin/env node
// Type-checks every workspace that has a tsconfig.json; exits non-zero when any of them fails.
import { spawnSync } from 'node:child_process';
import { workspacesWith } from './workspaces.mjs';

let exitCode = 0;
for (const workspace of workspacesWith('tsconfig.json')) {
  const run = spawnSync('tsc', ['-p', workspace], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`typecheck failed in ${workspace}`);
    exitCode = run.status ?? 1;
  }
}
process.exit(exitCode);
