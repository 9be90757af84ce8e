#!/usr/bin/env node
// The whole test suite: every workspace's vitest run, then one plain closing line `N passed, N failed`
// (plus skipped) that CI reads. Exits non-zero when anything failed or no test ran.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspacesWith } from './workspaces.mjs';

const WORKSPACES_WITH_TESTS = workspacesWith('vitest.config.ts');

const reportDir = mkdtempSync(join(tmpdir(), 'accessflow-test-report-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;

for (const workspace of WORKSPACES_WITH_TESTS) {
  const report = join(reportDir, `${workspace}.json`);
  const run = spawnSync(
    'vitest',
    ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
    { cwd: workspace, stdio: 'inherit', shell: false },
  );
  if (run.status !== 0) exitCode = run.status ?? 1;
  try {
    const result = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += result.numPassedTests;
    // A file that failed to load has no failed test of its own: count it once so the line never says 0 failed.
    totals.failed += result.numFailedTests || (run.status === 0 ? 0 : Math.max(1, result.numFailedTestSuites ?? 0));
    totals.skipped += result.numPendingTests + result.numTodoTests;
  } catch {
    console.error(`${workspace}: vitest wrote no report`);
    exitCode ||= 1;
  }
}
rmSync(reportDir, { recursive: true, force: true });

if (totals.passed + totals.failed === 0) exitCode ||= 1;
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(exitCode);
