/**
 * One request, live: its statement, risk, the approval chain as a timeline, and (when executed) the masked
 * result. Status changes made elsewhere arrive over the `queryRequestUpdated` subscription.
 */
import { A, useParams } from '@solidjs/router';
import { createQuery, createSubscription } from '@urql/solid';
import { For, Match, Show, Switch, createSignal } from 'solid-js';
import { client } from '../client.ts';
import { CancelQueryRequestDocument, DecideQueryRequestDocument, ExecuteQueryRequestDocument, RequestDocument, RequestUpdatedDocument } from '../graphql/requests.documents.ts';
import type { RequestDetailFragment, ReviewDecisionKind } from '../graphql/generated.ts';
import { saveDraft } from '../drafts.ts';
import { canReview, useMe } from '../me.ts';
import { download } from '../table.tsx';
import { Empty, Field, Loading, PageHeader, ProblemBanner, QueryError, RiskBadge, StatusBadge, When, outcome, useBusy, type Outcome, type Problem } from '../ui.tsx';

const OPEN = ['PENDING_AI', 'PENDING_REVIEW', 'APPROVED'];

export default function RequestPage() {
  const params = useParams<{ id: string }>();
  const me = useMe();
  const [query] = createQuery({ query: RequestDocument, variables: () => ({ id: params.id }) });
  const [live] = createSubscription({ query: RequestUpdatedDocument, variables: () => ({ id: params.id }) });
  const [latestFromAction, setLatestFromAction] = createSignal<RequestDetailFragment | null>(null);
  // The newest of the three sources wins: the page never steps back to an older state.
  const request = (): RequestDetailFragment | null | undefined => {
    const candidates = [query.data?.queryRequest, live.data?.queryRequestUpdated, latestFromAction()].filter(
      (r): r is RequestDetailFragment => !!r && r.id === params.id,
    );
    return candidates.reduce<RequestDetailFragment | undefined>(
      (best, r) => (!best || Date.parse(r.updatedAt) >= Date.parse(best.updatedAt) ? r : best),
      undefined,
    );
  };
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [busy, run] = useBusy();
  const act = (work: () => Promise<Outcome<RequestDetailFragment>>) =>
    run(async () => {
      setProblem(null);
      const done = await work();
      if (!done.ok) return setProblem(done.problem);
      setLatestFromAction(done.value);
    });
  const mine = () => request()?.submittedBy?.id === me()?.id;

  return (
    <section>
      <PageHeader title="Query request" />
      <QueryError error={query.error ?? live.error} />
      <Switch>
        <Match when={request()}>
          {(r) => (
            <div class="request">
              <div class="summary">
                <span aria-live="polite" data-testid="request-status">
                  <StatusBadge status={r().status} />
                </span>
                <RiskBadge level={r().riskLevel} score={r().riskScore} />
                <span>{r().queryType}</span>
                <span>
                  on <strong>{r().datasource?.name ?? r().datasourceId}</strong>
                </span>
                <span class="muted">
                  by {r().submittedBy?.displayName ?? r().submittedBy?.email} · <When at={r().createdAt} />
                </span>
              </div>
              <pre class="sql">
                <code>{r().query}</code>
              </pre>
              <Show when={r().justification}>
                <p>
                  <strong>Justification:</strong> {r().justification}
                </p>
              </Show>
              <Show when={r().riskSummary || r().riskIssues.length > 0}>
                <div class="card">
                  <h2>Risk</h2>
                  <p>{r().riskSummary}</p>
                  <ul>
                    <For each={r().riskIssues}>
                      {(issue) => (
                        <li>
                          <strong>{issue.severity}</strong> {issue.message}
                          <Show when={issue.suggestion}> — {issue.suggestion}</Show>
                        </li>
                      )}
                    </For>
                  </ul>
                </div>
              </Show>
              <Show when={r().status === 'CHANGES_REQUESTED' || r().status === 'REJECTED'}>
                <div class="banner error" role="status">
                  <strong>{r().status === 'REJECTED' ? 'Rejected' : 'Changes requested'}:</strong> {r().decisions.at(-1)?.comment ?? 'no comment'}
                  <Show when={mine()}>
                    {' '}
                    <A href={`/editor?datasource=${r().datasourceId}`} onClick={() => saveDraft(r().query)}>
                      Edit and submit again
                    </A>
                  </Show>
                </div>
              </Show>
              <ProblemBanner problem={problem()} />
              <div class="actions-row">
                <Show when={mine() && r().status === 'APPROVED' && !r().scheduledFor}>
                  <button type="button" disabled={busy()} onClick={() => act(async () => outcome(await client.mutation(ExecuteQueryRequestDocument, { id: r().id }).toPromise()))}>
                    Run now
                  </button>
                </Show>
                <Show when={mine() && OPEN.includes(r().status)}>
                  <button type="button" class="secondary" disabled={busy()} onClick={() => act(async () => outcome(await client.mutation(CancelQueryRequestDocument, { id: r().id }).toPromise()))}>
                    Cancel request
                  </button>
                </Show>
              </div>
              <Show when={!mine() && canReview(me()) && r().status === 'PENDING_REVIEW'}>
                <DecisionForm
                  busy={busy()}
                  problem={problem()}
                  onDecide={(decision, comment) =>
                    act(async () => outcome(await client.mutation(DecideQueryRequestDocument, { input: { requestId: r().id, decision, comment: comment || null, sqlHash: r().sqlHash } }).toPromise()))
                  }
                />
              </Show>
              <h2>Timeline</h2>
              <Timeline request={r()} meId={me()?.id} />
              <Show when={r().error}>
                <div class="banner error" role="alert">
                  <strong>The database said:</strong> {r().error}
                </div>
              </Show>
              <Show when={r().result}>{(result) => <ResultTable result={result()} id={r().id} />}</Show>
            </div>
          )}
        </Match>
        <Match when={query.fetching}>
          <Loading />
        </Match>
        <Match when={query.data && !query.data.queryRequest}>
          <Empty>
            No request with this id is visible to you. <A href="/queries">Back to the history</A>.
          </Empty>
        </Match>
      </Switch>
    </section>
  );
}

function DecisionForm(props: { busy: boolean; problem: Problem | null; onDecide: (decision: ReviewDecisionKind, comment: string) => void }) {
  const [comment, setComment] = createSignal('');
  const needsComment = () => comment().trim() === '';
  return (
    <form class="card" onSubmit={(e) => e.preventDefault()} aria-labelledby="decide-title">
      <h2 id="decide-title">Your decision</h2>
      <Field label="Comment" name="comment" problem={props.problem} hint="Required to reject or request changes.">
        {(a) => <textarea {...a} rows={2} value={comment()} onInput={(e) => setComment(e.currentTarget.value)} />}
      </Field>
      <div class="actions-row">
        <button type="button" disabled={props.busy} onClick={() => props.onDecide('APPROVE', comment())}>
          Approve
        </button>
        <button type="button" class="secondary" disabled={props.busy || needsComment()} onClick={() => props.onDecide('REQUEST_CHANGES', comment())}>
          Request changes
        </button>
        <button type="button" class="danger" disabled={props.busy || needsComment()} onClick={() => props.onDecide('REJECT', comment())}>
          Reject
        </button>
      </div>
    </form>
  );
}

interface Step {
  key: string;
  title: string;
  at: string | null | undefined;
  detail?: string | null | undefined;
  tone: 'ok' | 'bad' | 'info' | 'wait';
}

function steps(r: RequestDetailFragment, meId: string | undefined): Step[] {
  const list: Step[] = [{ key: 'submitted', title: `Submitted by ${r.submittedBy?.displayName ?? 'someone'}`, at: r.createdAt, tone: 'info' }];
  if (r.riskLevel) list.push({ key: 'risk', title: `Risk assessed: ${r.riskLevel}`, at: null, detail: r.riskSummary, tone: 'info' });
  for (const d of r.decisions) {
    list.push({
      key: d.id,
      title: `Stage ${d.stage}: ${d.decision === 'APPROVE' ? 'approved' : d.decision === 'REJECT' ? 'rejected' : 'changes requested'}${d.reviewerId === meId ? ' by you' : ''}`,
      at: d.createdAt,
      detail: d.comment,
      tone: d.decision === 'APPROVE' ? 'ok' : 'bad',
    });
  }
  const terminal: Record<string, Step['tone']> = { EXECUTED: 'ok', FAILED: 'bad', REJECTED: 'bad', CANCELLED: 'bad', TIMED_OUT: 'bad', CHANGES_REQUESTED: 'bad' };
  if (r.status === 'PENDING_REVIEW' || r.status === 'PENDING_AI')
    list.push({ key: 'waiting', title: r.status === 'PENDING_AI' ? 'Waiting for risk review' : `Waiting for stage ${r.currentStage} approval`, at: null, tone: 'wait' });
  else if (r.status === 'APPROVED') list.push({ key: 'approved', title: r.scheduledFor ? 'Approved; scheduled' : 'Approved; ready to run', at: r.scheduledFor, tone: 'ok' });
  else if (r.status === 'EXECUTING') list.push({ key: 'executing', title: 'Running', at: null, tone: 'wait' });
  else
    list.push({
      key: 'end',
      title: r.status === 'EXECUTED' ? `Executed${r.durationMs != null ? ` in ${r.durationMs} ms` : ''}` : r.status.replace(/_/g, ' ').toLowerCase(),
      at: r.executedAt ?? r.updatedAt,
      detail: r.rowsAffected != null ? `${r.rowsAffected} rows affected` : null,
      tone: terminal[r.status] ?? 'info',
    });
  return list;
}

function Timeline(props: { request: RequestDetailFragment; meId: string | undefined }) {
  return (
    <ol class="timeline" aria-label="Approval timeline">
      <For each={steps(props.request, props.meId)}>
        {(step) => (
          <li class={`tone-${step.tone}`}>
            <span class="dot" aria-hidden="true" />
            <div>
              <strong>{step.title}</strong>
              <Show when={step.at}>
                {' '}
                <When at={step.at} />
              </Show>
              <Show when={step.detail}>
                <p class="muted">{step.detail}</p>
              </Show>
            </div>
          </li>
        )}
      </For>
    </ol>
  );
}

function ResultTable(props: { result: NonNullable<RequestDetailFragment['result']>; id: string }) {
  const rows = () => (Array.isArray(props.result.rows) ? (props.result.rows as unknown[][]) : []);
  return (
    <div class="result">
      <div class="page-header">
        <h2>
          Result <span class="muted">({props.result.rowCount} rows{props.result.truncated ? ', cut at the row cap' : ''}, masked by policy)</span>
        </h2>
        <button type="button" class="secondary" onClick={() => download(`request-${props.id}.csv`, props.result.csv)}>
          Download CSV
        </button>
      </div>
      <div class="table-wrap">
        <table data-testid="result-table">
          <caption class="sr-only">Query result</caption>
          <thead>
            <tr>
              <For each={props.result.columns}>{(c) => <th scope="col" title={c.type}>{c.name}</th>}</For>
            </tr>
          </thead>
          <tbody>
            <For each={rows()}>
              {(row) => (
                <tr>
                  <For each={row}>{(cell) => <td>{cell == null ? <span class="muted">null</span> : typeof cell === 'object' ? JSON.stringify(cell) : String(cell)}</td>}</For>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </div>
  );
}
