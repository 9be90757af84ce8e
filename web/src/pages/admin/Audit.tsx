/** The audit log: filter, page, verify the HMAC chain, export the filtered events as CSV. */
import { useSearchParams } from '@solidjs/router';
import { createQuery } from '@urql/solid';
import { For, Show, createSignal } from 'solid-js';
import { client } from '../../client.ts';
import { AuditEventsDocument, ExportAuditEventsDocument, VerifyAuditChainDocument } from '../../graphql/admin.documents.ts';
import type { AuditEventFilter, AuditSource, VerifyAuditChainQuery } from '../../graphql/generated.ts';
import { isAdmin, useMe } from '../../me.ts';
import { Table, download } from '../../table.tsx';
import { Field, Loading, PageHeader, QueryError, When, outcome, useBusy } from '../../ui.tsx';
import { useDirectory } from './directory.tsx';

const SOURCES: AuditSource[] = ['API', 'BOOTSTRAP', 'SCHEDULER', 'SYSTEM'];

export default function Audit() {
  const [params, setParams] = useSearchParams<{ action?: string; source?: string; targetType?: string; targetId?: string; actorId?: string; from?: string; to?: string }>();
  const me = useMe();
  // Names for actors where the viewer may list users (admins); auditors see ids.
  const dir = useDirectory({ pause: () => !isAdmin(me()) });
  const [after, setAfter] = createSignal<string | null>(null);
  const filter = (): AuditEventFilter => ({
    action: params.action || null,
    source: (params.source || null) as AuditSource | null,
    targetType: params.targetType || null,
    targetId: params.targetId || null,
    actorId: params.actorId || null,
    from: params.from ? new Date(params.from).toISOString() : null,
    to: params.to ? new Date(Date.parse(params.to) + 86_400_000).toISOString() : null,
  });
  const [events] = createQuery({ query: AuditEventsDocument, variables: () => ({ filter: filter(), after: after() }) });
  const [verification, setVerification] = createSignal<VerifyAuditChainQuery['verifyAuditChain'] | null>(null);
  const [notice, setNotice] = createSignal('');
  const [busy, run] = useBusy();
  const rows = () => events.data?.auditEvents.edges.map((e) => e.node) ?? [];
  const verify = () =>
    run(async () => {
      const result = await client.query(VerifyAuditChainDocument, {}, { requestPolicy: 'network-only' }).toPromise();
      if (result.error) return setNotice(result.error.message);
      setVerification(result.data?.verifyAuditChain ?? null);
    });
  const exportCsv = () =>
    run(async () => {
      const done = outcome(await client.mutation(ExportAuditEventsDocument, { filter: filter() }).toPromise());
      if (!done.ok) return setNotice(done.problem.message);
      download('audit-log.csv', done.value.csv);
      setNotice(`Exported ${done.value.rowCount} events${done.value.truncated ? ' (truncated: narrow the filter)' : ''}.`);
    });
  const set = (key: string) => (e: Event & { currentTarget: HTMLInputElement | HTMLSelectElement }) => {
    setAfter(null);
    setParams({ [key]: e.currentTarget.value || undefined });
  };
  return (
    <section>
      <PageHeader title="Audit log">
        <button type="button" class="secondary" disabled={busy()} onClick={verify}>Verify chain</button>
        <button type="button" class="secondary" disabled={busy()} onClick={exportCsv}>Export CSV</button>
      </PageHeader>
      <p class="muted" role="status" aria-live="polite">{notice()}</p>
      <Show when={verification()}>
        {(v) => (
          <div class={`banner ${v().ok ? 'ok' : 'error'}`} role="status" data-testid="chain-verification">
            <Show when={v().ok} fallback={<>Chain broken at event #{v().firstBrokenSeq} ({v().reason?.replace(/_/g, ' ').toLowerCase()}); {v().checked} events verified before it.</>}>
              Chain intact: {v().checked} events verified.
            </Show>
          </div>
        )}
      </Show>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <Field label="Action" name="action">{(a) => <input {...a} value={params.action ?? ''} onChange={set('action')} placeholder="QUERY_APPROVED" />}</Field>
        <Field label="Source" name="source">
          {(a) => (
            <select {...a} value={params.source ?? ''} onChange={set('source')}>
              <option value="">Any</option>
              <For each={SOURCES}>{(s) => <option value={s} selected={params.source === s}>{s}</option>}</For>
            </select>
          )}
        </Field>
        <Field label="Target type" name="targetType">{(a) => <input {...a} value={params.targetType ?? ''} onChange={set('targetType')} />}</Field>
        <Field label="Target id" name="targetId">{(a) => <input {...a} value={params.targetId ?? ''} onChange={set('targetId')} />}</Field>
        <Field label="Actor id" name="actorId">{(a) => <input {...a} value={params.actorId ?? ''} onChange={set('actorId')} />}</Field>
        <Field label="From" name="from">{(a) => <input {...a} type="date" value={params.from ?? ''} onChange={set('from')} />}</Field>
        <Field label="To" name="to">{(a) => <input {...a} type="date" value={params.to ?? ''} onChange={set('to')} />}</Field>
      </form>
      <QueryError error={events.error} />
      <Show when={events.data || !events.fetching} fallback={<Loading />}>
        <Table
          caption="Audit events, newest first"
          columns={['#', 'When', 'Action', 'Actor', 'Target', 'Source', 'Address']}
          rows={rows()}
          empty="No event matches these filters."
          row={(e) => (
            <tr>
              <td>{e.seq}</td>
              <td><When at={e.createdAt} /></td>
              <td><code>{e.action}</code></td>
              <td>{e.actorId ? dir.name(e.actorId) : e.actorType}</td>
              <td>{e.targetType ? `${e.targetType} ${e.targetId?.slice(0, 8) ?? ''}` : '—'}</td>
              <td>{e.source}</td>
              <td>{e.ipAddress ?? '—'}</td>
            </tr>
          )}
        />
        <div class="actions-row">
          <Show when={after()}>
            <button type="button" class="secondary" onClick={() => setAfter(null)}>Newest</button>
          </Show>
          <Show when={events.data?.auditEvents.pageInfo.hasNextPage}>
            <button type="button" class="secondary" onClick={() => setAfter(events.data?.auditEvents.pageInfo.endCursor ?? null)}>Older events</button>
          </Show>
        </div>
      </Show>
    </section>
  );
}
