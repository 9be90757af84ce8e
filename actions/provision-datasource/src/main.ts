/** The provision-datasource action: inputs → `provisionDatasource` (the CLI's logic) → `id`, a summary. */
import * as core from '@actions/core';
import { booleanInput, clientFromInputs, fail, finish, input, secondsInput, stopSignal } from '../../src/github.ts';
import { interruptible } from '../../src/interrupt.ts';
import { provisionDatasource } from '../../src/provision-datasource.ts';

export async function run(): Promise<void> {
  try {
    const password = input('password');
    if (password) core.setSecret(password);
    const client = clientFromInputs();
    const signal = stopSignal();
    const work = provisionDatasource(client, {
      name: input('name'),
      dbType: input('db-type'),
      host: input('host'),
      port: input('port'),
      databaseName: input('database-name'),
      username: input('username'),
      password,
      sslMode: input('ssl-mode'),
      reviewPlanId: input('review-plan-id'),
      aiConfigId: input('ai-config-id'),
      aiAnalysisEnabled: input('ai-analysis-enabled'),
      textToSqlEnabled: input('text-to-sql-enabled'),
      requireReviewReads: input('require-review-reads'),
      requireReviewWrites: input('require-review-writes'),
      maxRowsPerQuery: input('max-rows-per-query'),
      connectionPoolSize: input('connection-pool-size'),
      testConnection: booleanInput('test-connection', true),
      connectRetrySeconds: secondsInput('connect-retry-seconds', 30),
      signal,
    });
    const outcome = await interruptible(work, { signal }, async () => 'provisioning interrupted');
    core.setOutput('id', outcome.datasource.id);
    core.setOutput('created', String(outcome.created));
    core.setOutput('connection-ok', outcome.connection ? String(outcome.connection.ok) : '');
    const { datasource: d, connection: c } = outcome;
    await core.summary
      .addHeading('AccessFlow provision-datasource', 2)
      .addTable([
        ['datasource', 'id', 'type', 'target', 'change', 'connection'].map((data) => ({ data, header: true })),
        [d.name, d.id, d.dbType, `${d.host}:${d.port}/${d.databaseName}`, outcome.created ? 'created' : 'updated', c ? (c.ok ? `ok${c.serverVersion ? ` (${c.serverVersion})` : ''}` : `failed: ${c.error ?? ''}`) : 'not tested'],
      ])
      .write();
    finish(outcome.exitCode, outcome.message);
  } catch (error) {
    fail(error);
  }
}
