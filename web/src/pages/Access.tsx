/**
 * Just-in-time access (C10): ask for read, write or DDL on a datasource for a while; reviewers approve or
 * reject (a comment is required to reject); admins revoke access before it ends by itself.
 */
import { createQuery } from '@urql/solid';
import { For, Show, createSignal } from 'solid-js';
import { client } from '../client.ts';
import {
  VisibleDatasourcesDocument,
  AccessRequestsDocument,
  CancelAccessRequestDocument,
  DecideAccessRequestDocument,
  RequestAccessDocument,
  RevokeAccessRequestDocument,
} from '../graphql/access.documents.ts';
import type { AccessDecisionKind, AccessRequestFieldsFragment } from '../graphql/generated.ts';
import { canReview, isAdmin, useMe } from '../me.ts';
import { Table } from '../table.tsx';
import { Field, PageHeader, ProblemBanner, QueryError, StatusBadge, When, list, outcome, useBusy, type Problem } from '../ui.tsx';
import { useDirectory } from './admin/directory.tsx';

const DURATIONS: [number, string][] = [
  [15, '15 minutes'],
  [60, '1 hour'],
  [240, '4 hours'],
  [1440, '1 day'],
  [10080, '7 days'],
];

export default function Access() {
  const me = useMe();
  const [sources] = createQuery({ query: VisibleDatasourcesDocument });
  const [mine, refetchMine] = createQuery({ query: AccessRequestsDocument, variables: { mine: true, status: null } });
  const [waiting, refetchWaiting] = createQuery({ query: AccessRequestsDocument, variables: { mine: false, status: 'PENDING' }, pause: () => !canReview(me()) });
  const [active, refetchActive] = createQuery({ query: AccessRequestsDocument, variables: { mine: false, status: 'APPROVED' }, pause: () => !isAdmin(me()) });
  // Names of people for admins (user names are visible to user managers only).
  const dir = useDirectory({ pause: () => !isAdmin(me()) });
  const datasourceName = (id: string) => sources.data?.datasources.edges.find((e) => e.node.id === id)?.node.name ?? id.slice(0, 8);
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [notice, setNotice] = createSignal('');
  const [busy, run] = useBusy();
  const reload = () => {
    refetchMine({ requestPolicy: 'network-only' });
    if (canReview(me())) refetchWaiting({ requestPolicy: 'network-only' });
    if (isAdmin(me())) refetchActive({ requestPolicy: 'network-only' });
  };
  /** Runs a mutation; says `done` or the typed error's message, then reads the lists again. */
  const act = (send: () => Promise<Parameters<typeof outcome>[0]>, done: string) =>
    run(async () => {
      const result = outcome(await send());
      setNotice(result.ok ? done : result.problem.message);
      reload();
      return result.ok;
    });
  const requestAccess = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const text = (name: string) => String(f.get(name) ?? '').trim();
    void run(async () => {
      const done = outcome(
        await client
          .mutation(RequestAccessDocument, {
            input: {
              datasourceId: text('datasourceId'),
              canRead: f.get('canRead') === 'on',
              canWrite: f.get('canWrite') === 'on',
              canDdl: f.get('canDdl') === 'on',
              allowedTables: text('allowedTables') ? list(text('allowedTables')) : null,
              durationMinutes: Number(text('durationMinutes')),
              justification: text('justification'),
            },
          })
          .toPromise(),
      );
      if (!done.ok) return setProblem(done.problem);
      setProblem(null);
      setNotice('Access requested: reviewers have been asked.');
      form.reset();
      reload();
    });
  };
  const rights = (r: AccessRequestFieldsFragment) => [r.canRead && 'read', r.canWrite && 'write', r.canDdl && 'DDL'].filter(Boolean).join(', ');
  const scope = (r: AccessRequestFieldsFragment) => (r.allowedTables?.length ? r.allowedTables.join(', ') : 'every table');
  const duration = (minutes: number) => DURATIONS.find(([m]) => m === minutes)?.[1] ?? `${minutes} minutes`;
  const who = (id: string) => (id === me()?.id ? 'you' : isAdmin(me()) ? dir.name(id) : `user ${id.slice(0, 8)}`);

  return (
    <section>
      <PageHeader title="Access requests" />
      <p class="muted" role="status" aria-live="polite">
        {notice()}
      </p>
      <form class="card grid-form" onSubmit={requestAccess} novalidate aria-label="Request access">
        <h2>Request access</h2>
        <ProblemBanner problem={problem()} />
        <Field label="Datasource" name="datasourceId" problem={problem()}>
          {(a) => (
            <select {...a} required>
              <option value="">Choose…</option>
              <For each={sources.data?.datasources.edges ?? []}>{(e) => <option value={e.node.id}>{e.node.name}</option>}</For>
            </select>
          )}
        </Field>
        <fieldset>
          <legend>Access</legend>
          <label class="check"><input type="checkbox" name="canRead" checked /> read</label>
          <label class="check"><input type="checkbox" name="canWrite" /> write</label>
          <label class="check"><input type="checkbox" name="canDdl" /> DDL</label>
        </fieldset>
        <Field label="Tables (optional)" name="allowedTables" problem={problem()} hint="Comma-separated, e.g. public.orders; empty for every table.">
          {(a) => <input {...a} />}
        </Field>
        <Field label="For how long" name="durationMinutes" problem={problem()}>
          {(a) => (
            <select {...a}>
              <For each={DURATIONS}>{([minutes, label]) => <option value={minutes} selected={minutes === 60}>{label}</option>}</For>
            </select>
          )}
        </Field>
        <Field label="Justification" name="justification" problem={problem()} hint="Why you need it; reviewers read it.">
          {(a) => <textarea {...a} rows={2} required />}
        </Field>
        <div class="actions-row">
          <button type="submit" disabled={busy()}>
            Request access
          </button>
        </div>
      </form>

      <Show when={canReview(me())}>
        <h2>Waiting for a decision</h2>
        <QueryError error={waiting.error} />
        <Table
          caption="Access requests waiting for a decision"
          columns={['Requested', 'By', 'Datasource', 'Access', 'For', 'Justification', 'Decision']}
          rows={(waiting.data?.accessRequests.edges ?? []).map((e) => e.node).filter((r) => r.requesterId !== me()?.id)}
          empty="No access request waits for a decision."
          row={(r) => (
            <tr>
              <td><When at={r.createdAt} /></td>
              <td>{who(r.requesterId)}</td>
              <td>{datasourceName(r.datasourceId)}</td>
              <td>{rights(r)} · {scope(r)}</td>
              <td>{duration(r.durationMinutes)}</td>
              <td>{r.justification}</td>
              <td>
                <Decide
                  requestId={r.id}
                  busy={busy()}
                  onDecide={(decision, comment) =>
                    act(() => client.mutation(DecideAccessRequestDocument, { input: { requestId: r.id, decision, comment: comment || null } }).toPromise(), decision === 'APPROVE' ? 'Access approved.' : 'Access rejected.')
                  }
                />
              </td>
            </tr>
          )}
        />
      </Show>

      <Show when={isAdmin(me())}>
        <h2>Access in force</h2>
        <QueryError error={active.error} />
        <Table
          caption="Approved access in force"
          columns={['Who', 'Datasource', 'Access', 'Ends', 'Actions']}
          rows={(active.data?.accessRequests.edges ?? []).map((e) => e.node)}
          empty="Nobody holds just-in-time access now."
          row={(r) => (
            <tr>
              <td>{who(r.requesterId)}</td>
              <td>{datasourceName(r.datasourceId)}</td>
              <td>{rights(r)} · {scope(r)}</td>
              <td><When at={r.expiresAt} /></td>
              <td>
                <button type="button" class="link danger" disabled={busy()} onClick={() => act(() => client.mutation(RevokeAccessRequestDocument, { input: { id: r.id, reason: 'Revoked from the console' } }).toPromise(), 'Access revoked.')}>
                  Revoke<span class="sr-only"> access of {who(r.requesterId)} to {datasourceName(r.datasourceId)}</span>
                </button>
              </td>
            </tr>
          )}
        />
      </Show>

      <h2>My requests</h2>
      <QueryError error={mine.error} />
      <Table
        caption="My access requests"
        columns={['Requested', 'Datasource', 'Access', 'For', 'Status', 'Ends', 'Actions']}
        rows={(mine.data?.accessRequests.edges ?? []).map((e) => e.node)}
        empty="You have not asked for access yet. Ask above when your grants do not cover a task."
        row={(r) => (
          <tr>
            <td><When at={r.createdAt} /></td>
            <td>{datasourceName(r.datasourceId)}</td>
            <td>{rights(r)} · {scope(r)}</td>
            <td>{duration(r.durationMinutes)}</td>
            <td>
              <StatusBadge status={r.status} />
              <Show when={r.decisions.find((d) => d.comment)}>{(d) => <small class="muted"> “{d().comment}”</small>}</Show>
            </td>
            <td><When at={r.status === 'APPROVED' ? r.expiresAt : r.endedAt} /></td>
            <td>
              <Show when={r.status === 'PENDING'}>
                <button type="button" class="link danger" disabled={busy()} onClick={() => act(() => client.mutation(CancelAccessRequestDocument, { id: r.id }).toPromise(), 'Request cancelled.')}>
                  Cancel<span class="sr-only"> request for {datasourceName(r.datasourceId)}</span>
                </button>
              </Show>
            </td>
          </tr>
        )}
      />
    </section>
  );
}

/** Approve, or reject with a comment (the server requires one to reject). */
function Decide(props: { requestId: string; busy: boolean; onDecide: (decision: AccessDecisionKind, comment: string) => void }) {
  const [comment, setComment] = createSignal('');
  return (
    <div class="actions-row">
      <Field label="Comment" name="comment">
        {(a) => <input {...a} value={comment()} onInput={(e) => setComment(e.currentTarget.value)} />}
      </Field>
      <button type="button" disabled={props.busy} onClick={() => props.onDecide('APPROVE', comment().trim())}>
        Approve
      </button>
      <button type="button" class="danger" disabled={props.busy || !comment().trim()} onClick={() => props.onDecide('REJECT', comment().trim())}>
        Reject
      </button>
    </div>
  );
}
