/** The review queue, live: select rows, approve or reject them together (rejecting needs a comment). */
import { A } from '@solidjs/router';
import { createQuery, createSubscription } from '@urql/solid';
import { For, Show, createEffect, createSignal, on } from 'solid-js';
import { client } from '../client.ts';
import { DecideQueryRequestsDocument, ReviewQueueChangedDocument, ReviewQueueDocument } from '../graphql/requests.documents.ts';
import type { ReviewDecisionKind } from '../graphql/generated.ts';
import { Empty, Field, Loading, PageHeader, QueryError, RiskBadge, When, outcome, useBusy, type Problem } from '../ui.tsx';

export default function Reviews() {
  const [queue, refetch] = createQuery({ query: ReviewQueueDocument });
  const [changed] = createSubscription({ query: ReviewQueueChangedDocument });
  // Any change in the organization's queue: read the queue again (it is filtered per reviewer by the server).
  createEffect(on(() => changed.data, (data) => data && refetch({ requestPolicy: 'network-only' }), { defer: true }));
  const rows = () => queue.data?.reviewQueue.edges.map((e) => e.node) ?? [];
  const [selected, setSelected] = createSignal<ReadonlySet<string>>(new Set());
  const visibleSelected = () => rows().filter((r) => selected().has(r.id));
  const [comment, setComment] = createSignal('');
  const [problems, setProblems] = createSignal<{ id: string; problem: Problem }[]>([]);
  const [notice, setNotice] = createSignal('');
  const [busy, run] = useBusy();
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected());
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const decideAll = (decision: ReviewDecisionKind) =>
    run(async () => {
      const targets = visibleSelected();
      // Each decision is bound to the text shown here (sqlHashes): a request revised meanwhile is refused, not decided.
      const done = outcome(
        await client
          .mutation(DecideQueryRequestsDocument, {
            input: { requestIds: targets.map((r) => r.id), sqlHashes: targets.map((r) => r.sqlHash), decision, comment: comment() || null },
          })
          .toPromise(),
      );
      if (!done.ok) {
        setNotice(done.problem.message);
        return;
      }
      const failed = done.value.flatMap((r) => (r.error ? [{ id: r.requestId, problem: { code: r.error.code, message: r.error.message, issues: [] } }] : []));
      setProblems(failed);
      setNotice(`${done.value.length - failed.length} of ${done.value.length} ${decision === 'APPROVE' ? 'approved' : decision === 'REJECT' ? 'rejected' : 'sent back'}.`);
      setSelected(new Set(failed.map((f) => f.id)));
      if (failed.length === 0) setComment('');
      refetch({ requestPolicy: 'network-only' });
    });
  const allChecked = () => rows().length > 0 && visibleSelected().length === rows().length;
  return (
    <section>
      <PageHeader title="Review queue" />
      <QueryError error={queue.error} />
      <p class="muted" role="status" aria-live="polite">
        {notice()}
      </p>
      <Show when={queue.data || !queue.fetching} fallback={<Loading />}>
        <Show when={rows().length > 0} fallback={<Empty>Nothing waits for your review. New requests appear here as they arrive.</Empty>}>
          <div class="bulk-bar" classList={{ hidden: visibleSelected().length === 0 }} aria-hidden={visibleSelected().length === 0}>
            <span>{visibleSelected().length} selected</span>
            <Field label="Comment (required to reject or request changes)" name="comment">
              {(a) => <input {...a} value={comment()} onInput={(e) => setComment(e.currentTarget.value)} />}
            </Field>
            <button type="button" disabled={busy() || visibleSelected().length === 0} onClick={() => decideAll('APPROVE')}>
              Approve selected
            </button>
            <button type="button" class="secondary" disabled={busy() || visibleSelected().length === 0 || !comment().trim()} onClick={() => decideAll('REQUEST_CHANGES')}>
              Request changes
            </button>
            <button type="button" class="danger" disabled={busy() || visibleSelected().length === 0 || !comment().trim()} onClick={() => decideAll('REJECT')}>
              Reject selected
            </button>
            <button type="button" class="link" onClick={() => setSelected(new Set<string>())}>
              Clear selection
            </button>
          </div>
          <div class="table-wrap">
            <table>
              <caption class="sr-only">Requests waiting for your decision</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <input type="checkbox" aria-label="Select all" checked={allChecked()} onChange={(e) => setSelected(new Set(e.currentTarget.checked ? rows().map((r) => r.id) : []))} />
                  </th>
                  <th scope="col">Query</th>
                  <th scope="col">Type</th>
                  <th scope="col">Risk</th>
                  <th scope="col">Datasource</th>
                  <th scope="col">Submitter</th>
                  <th scope="col">Submitted</th>
                </tr>
              </thead>
              <tbody>
                <For each={rows()}>
                  {(r) => (
                    <tr>
                      <td>
                        <input type="checkbox" aria-label={`Select request ${r.id.slice(0, 8)}`} checked={selected().has(r.id)} onChange={(e) => toggle(r.id, e.currentTarget.checked)} />
                      </td>
                      <td>
                        <A href={`/queries/${r.id}`}>
                          <code class="sql-line">{r.query}</code>
                        </A>
                        <Show when={problems().find((p) => p.id === r.id)}>{(p) => <small class="field-error" role="alert">{p().problem.message}</small>}</Show>
                      </td>
                      <td>{r.queryType}</td>
                      <td>
                        <RiskBadge level={r.riskLevel} />
                      </td>
                      <td>{r.datasource?.name}</td>
                      <td>{r.submittedBy?.displayName}</td>
                      <td>
                        <When at={r.createdAt} />
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
      </Show>
    </section>
  );
}
