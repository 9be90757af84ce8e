/**
 * The run-query action: inputs → `runQuery` (the CLI's logic) → outputs, a job summary and annotations.
 */
import * as core from '@actions/core';
import { ciRequestId } from '../../src/ci.ts';
import { cellText, resultJson } from '../../src/format.ts';
import { booleanInput, clientFromInputs, fail, finish, input, secondsInput, stopSignal } from '../../src/github.ts';
import { interruptible } from '../../src/interrupt.ts';
import { hasRows, PendingRequest, runQuery } from '../../src/run-query.ts';
import { TRANSPORTS, type Transport } from '../../src/wait.ts';

/** GitHub keeps at most 1 MiB of outputs per job: leave room for the other steps' outputs. */
const RESULT_JSON_MAX_CHARS = 512 * 1024;

export async function run(): Promise<void> {
  const sqlFile = input('sql-file');
  const annotation = sqlFile ? { file: sqlFile, startLine: 1 } : {};
  const pending = new PendingRequest();
  try {
    const client = clientFromInputs();
    const transport = input('transport') || 'auto';
    if (transport !== 'auto' && !(TRANSPORTS as readonly string[]).includes(transport)) {
      throw new Error(`input transport must be auto, ${TRANSPORTS.join(', ')}; got ${transport}`);
    }
    const signal = stopSignal();
    const work = runQuery(
      client,
      {
        datasourceId: input('datasource-id'),
        datasource: input('datasource'),
        sql: input('sql'),
        sqlFile,
        justification: input('justification'),
        execute: booleanInput('execute', true),
        timeoutSeconds: secondsInput('timeout-seconds', 300),
        maxPollMs: secondsInput('poll-interval-seconds', 5) * 1000,
        connectRetrySeconds: secondsInput('connect-retry-seconds', 30),
        clientRequestId: ciRequestId(process.env, input('request-key') || undefined),
        transports: transport === 'auto' ? undefined : [transport as Transport],
        signal,
        log: (message) => core.info(message),
      },
      pending,
    );
    const outcome = await interruptible(work, { signal }, async () => {
      const cancelled = await pending.cancel(client).catch(() => null);
      if (cancelled) pending.status = 'CANCELLED';
      return cancelled ? `cancelled request ${cancelled}` : 'nothing to cancel';
    });
    const { request } = outcome;
    core.setOutput('query-id', request.id);
    core.setOutput('status', request.status);
    core.setOutput('client-request-id', outcome.clientRequestId);
    core.setOutput('risk-level', request.riskLevel ?? '');
    core.setOutput('rows-affected', request.rowsAffected === null ? '' : String(request.rowsAffected));
    if (request.result && hasRows(request)) {
      const { json, rowsShown } = resultJson(request.result, RESULT_JSON_MAX_CHARS);
      if (rowsShown < request.result.rows.length) core.warning(`result-json holds the first ${rowsShown} of ${request.result.rows.length} rows (outputs are size-limited)`);
      core.setOutput('result-json', json);
    } else core.setOutput('result-json', '');

    core.summary.addHeading('AccessFlow run-query', 2).addTable([
      [
        { data: 'request', header: true },
        { data: 'datasource', header: true },
        { data: 'type', header: true },
        { data: 'risk', header: true },
        { data: 'status', header: true },
        { data: 'outcome', header: true },
      ],
      [request.id, outcome.datasource.name, request.queryType, request.riskLevel ? `${request.riskLevel} (${request.riskScore})` : '', request.status, outcome.message],
    ]);
    if (request.result && hasRows(request)) {
      const shown = request.result.rows.slice(0, 50);
      core.summary
        .addHeading(`Result (${request.result.rowCount} row(s)${request.result.rowCount > shown.length ? `, first ${shown.length} shown` : ''}; masked by AccessFlow)`, 3)
        .addTable([request.result.columns.map((c) => ({ data: c.name, header: true })), ...shown.map((row) => row.map(cellText))]);
    }
    await core.summary.write();
    finish(outcome.exitCode, `request ${request.id}: ${outcome.message}`, annotation);
  } catch (error) {
    // Stopped early (timeout, signal, lost server): still say which request and where it stands.
    if (pending.id) {
      core.setOutput('query-id', pending.id);
      core.setOutput('status', pending.status ?? '');
    }
    fail(error, annotation);
  }
}
