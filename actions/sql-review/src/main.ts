/**
 * The sql-review action: every SQL file of the change (or of the patterns) through `analyzeSql` → an
 * annotation per finding, a job summary, a SARIF file for code scanning.
 */
import { writeFile } from 'node:fs/promises';
import * as core from '@actions/core';
import { CliError, EXIT } from '../../src/errors.ts';
import { booleanInput, clientFromInputs, fail, finish, input, secondsInput, stopSignal } from '../../src/github.ts';
import { interruptible } from '../../src/interrupt.ts';
import { resolveDatasource } from '../../src/run-query.ts';
import { markdownSummary, reviewSql, RISK_LEVELS, sarif, type SqlReviewOptions } from '../../src/sql-review.ts';
import { VERSION } from '../../src/version.ts';

export async function run(): Promise<void> {
  try {
    const client = clientFromInputs();
    const signal = stopSignal();
    const connectRetrySeconds = secondsInput('connect-retry-seconds', 30);
    const failOnRisk = (input('fail-on-risk') || 'CRITICAL').toUpperCase();
    if (failOnRisk !== 'NONE' && !(RISK_LEVELS as readonly string[]).includes(failOnRisk)) {
      throw new CliError(`input fail-on-risk must be one of ${RISK_LEVELS.join(', ')} or none; got ${failOnRisk}`, EXIT.USAGE);
    }
    // On a pull request, only the files it changes (the base branch must be fetched: fetch-depth 0).
    const baseRef = input('base-ref') || (process.env['GITHUB_BASE_REF'] ? `origin/${process.env['GITHUB_BASE_REF']}` : '');
    const work = (async () => {
      const datasource = await resolveDatasource(client, { datasource: input('datasource'), datasourceId: input('datasource-id'), signal, connectRetrySeconds });
      return reviewSql(client, {
        datasourceId: datasource.id,
        patterns: core.getMultilineInput('files'),
        baseRef: baseRef || undefined,
        failOnRisk: failOnRisk as SqlReviewOptions['failOnRisk'],
        routing: booleanInput('simulate-routing', true),
        cwd: process.env['GITHUB_WORKSPACE'] || process.cwd(),
        connectRetrySeconds,
        signal,
      });
    })();
    const outcome = await interruptible(work, { signal }, async () => 'review interrupted');
    for (const f of outcome.findings) {
      const properties = { title: `AccessFlow: ${f.rule}`, file: f.file, startLine: f.startLine, endLine: f.endLine };
      if (f.severity === 'error') core.error(f.message, properties);
      else if (f.severity === 'warning') core.warning(f.message, properties);
      else core.notice(f.message, properties);
    }
    const sarifFile = input('sarif-file');
    if (sarifFile) await writeFile(sarifFile, `${JSON.stringify(sarif(outcome, VERSION), null, 2)}\n`);
    core.setOutput('sarif-file', sarifFile);
    core.setOutput('statements', String(outcome.files.reduce((n, f) => n + f.statements.length, 0)));
    core.setOutput('findings', String(outcome.findings.length));
    core.setOutput('blocking', String(outcome.findings.filter((f) => f.blocking).length));
    core.setOutput('max-risk-level', outcome.maxRiskLevel ?? '');
    await core.summary.addRaw(markdownSummary(outcome)).write();
    // Findings carry their own annotations; the failure itself needs none more.
    if (outcome.exitCode === EXIT.OK) finish(outcome.exitCode, outcome.message);
    else {
      core.info(outcome.message);
      process.exitCode = outcome.exitCode;
    }
  } catch (error) {
    fail(error);
  }
}
