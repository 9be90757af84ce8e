/**
 * The break-glass log: every emergency run, which skipped review. Admins acknowledge each one afterwards with
 * a comment (never their own); auditors read the log.
 */
import { A, useSearchParams } from '@solidjs/router';
import { createQuery } from '@urql/solid';
import { Show, createSignal } from 'solid-js';
import { client } from '../../client.ts';
import { AcknowledgeBreakGlassDocument, BreakGlassLogDocument } from '../../graphql/governance.documents.ts';
import { isAdmin, useMe } from '../../me.ts';
import { Table } from '../../table.tsx';
import { Field, PageHeader, ProblemBanner, QueryError, Loading, StatusBadge, When, outcome, useBusy, type Problem } from '../../ui.tsx';

export default function BreakGlass() {
  const me = useMe();
  const [params, setParams] = useSearchParams<{ pending?: string }>();
  const [log, refetch] = createQuery({ query: BreakGlassLogDocument, variables: () => ({ pendingOnly: params.pending === '1' }) });
  const [notice, setNotice] = createSignal('');
  const rows = () => log.data?.breakGlassLog.edges.map((e) => e.node) ?? [];
  return (
    <section>
      <PageHeader title="Break-glass log">
        <label class="check">
          <input type="checkbox" checked={params.pending === '1'} onChange={(e) => setParams({ pending: e.currentTarget.checked ? '1' : undefined })} /> Waiting for acknowledgement only
        </label>
      </PageHeader>
      <p class="muted">Emergency runs skip review. Each one waits here until an admin other than the person who ran it acknowledges it.</p>
      <p class="muted" role="status" aria-live="polite">
        {notice()}
      </p>
      <QueryError error={log.error} />
      <Show when={log.data || !log.fetching} fallback={<Loading />}>
        <Table
          caption="Break-glass runs"
          columns={['When', 'Who', 'Datasource', 'Statement and reason', 'Run', 'Retro-review']}
          rows={rows()}
          empty={params.pending === '1' ? 'Every break-glass run has been acknowledged.' : 'No break-glass run yet.'}
          row={(r) => (
            <tr>
              <td><When at={r.createdAt} /></td>
              <td>{r.submittedBy?.displayName ?? r.submittedById}</td>
              <td>{r.datasource?.name}</td>
              <td>
                <A href={`/queries/${r.id}`}><code class="sql-line">{r.query}</code></A>
                <small class="muted">{r.justification}</small>
              </td>
              <td><StatusBadge status={r.status} /></td>
              <td>
                <Show
                  when={r.retroReviewStatus === 'PENDING'}
                  fallback={
                    <span>
                      acknowledged <When at={r.retroReviewedAt} />
                      <Show when={r.retroReviewComment}>{(c) => <small class="muted"> “{c()}”</small>}</Show>
                    </span>
                  }
                >
                  <Show when={isAdmin(me()) && r.submittedById !== me()?.id} fallback={<span class="badge status-pending_review">waiting</span>}>
                    <Acknowledge
                      requestId={r.id}
                      onDone={() => {
                        setNotice('Break-glass run acknowledged.');
                        refetch({ requestPolicy: 'network-only' });
                      }}
                    />
                  </Show>
                </Show>
              </td>
            </tr>
          )}
        />
      </Show>
    </section>
  );
}

function Acknowledge(props: { requestId: string; onDone: () => void }) {
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [comment, setComment] = createSignal('');
  const [busy, run] = useBusy();
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    void run(async () => {
      const done = outcome(await client.mutation(AcknowledgeBreakGlassDocument, { input: { requestId: props.requestId, comment: comment().trim() } }).toPromise());
      if (!done.ok) return setProblem(done.problem);
      setProblem(null);
      props.onDone();
    });
  };
  return (
    <form onSubmit={submit} novalidate aria-label={`Acknowledge break-glass run ${props.requestId.slice(0, 8)}`}>
      <ProblemBanner problem={problem()} />
      <Field label="Retro-review comment" name="comment" problem={problem()}>
        {(a) => <input {...a} value={comment()} onInput={(e) => setComment(e.currentTarget.value)} />}
      </Field>
      <button type="submit" disabled={busy() || !comment().trim()}>
        Acknowledge
      </button>
    </form>
  );
}
