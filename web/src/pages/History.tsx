/** Every request you may see, filtered by status, datasource, text and date; exported as CSV. */
import { A, useSearchParams } from '@solidjs/router';
import { createQuery } from '@urql/solid';
import { For, Show, createMemo, createSignal } from 'solid-js';
import { HistoryDocument } from '../graphql/requests.documents.ts';
import type { QueryStatus } from '../graphql/generated.ts';
import { Table, download, toCsv } from '../table.tsx';
import { Field, Loading, PageHeader, QueryError, RiskBadge, StatusBadge, When } from '../ui.tsx';

const STATUSES: QueryStatus[] = ['PENDING_AI', 'PENDING_REVIEW', 'APPROVED', 'EXECUTING', 'EXECUTED', 'FAILED', 'REJECTED', 'CHANGES_REQUESTED', 'CANCELLED', 'TIMED_OUT'];

export default function History() {
  // Filters live in the address, so a filtered view can be shared.
  const [params, setParams] = useSearchParams<{ status?: string; mine?: string; q?: string; datasource?: string; risk?: string; from?: string; to?: string }>();
  // Pages of 20 (the server filters by status and owner; the other filters apply to the page shown).
  const [after, setAfter] = createSignal<string | null>(null);
  const [history] = createQuery({
    query: HistoryDocument,
    variables: () => ({ after: after(), filter: { status: (params.status || null) as QueryStatus | null, mine: params.mine === '1' } }),
  });
  const all = () => history.data?.queryRequests.edges.map((e) => e.node) ?? [];
  const datasources = createMemo(() => [...new Map(all().map((r) => [r.datasourceId, r.datasource?.name ?? r.datasourceId])).entries()]);
  const rows = createMemo(() => {
    const text = (params.q ?? '').toLowerCase();
    const from = params.from ? Date.parse(params.from) : -Infinity;
    const to = params.to ? Date.parse(params.to) + 86_400_000 : Infinity;
    return all().filter((r) => {
      const at = Date.parse(r.createdAt);
      return (!text || r.query.toLowerCase().includes(text) || (r.justification ?? '').toLowerCase().includes(text)) &&
        (!params.datasource || r.datasourceId === params.datasource) && (!params.risk || r.riskLevel === params.risk) && at >= from && at < to;
    });
  });
  const exportCsv = () =>
    download(
      'query-history.csv',
      toCsv(
        ['id', 'created_at', 'status', 'type', 'risk', 'datasource', 'submitter', 'query', 'justification'],
        rows().map((r) => [r.id, r.createdAt, r.status, r.queryType, r.riskLevel, r.datasource?.name, r.submittedBy?.displayName, r.query, r.justification]),
      ),
    );
  return (
    <section>
      <PageHeader title="Query history">
        <button type="button" class="secondary" onClick={exportCsv} disabled={rows().length === 0}>
          Export CSV
        </button>
      </PageHeader>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <Field label="Status" name="status">
          {(a) => (
            <select {...a} value={params.status ?? ''} onChange={(e) => (setAfter(null), setParams({ status: e.currentTarget.value || undefined }))}>
              <option value="">Any</option>
              <For each={STATUSES}>{(s) => <option value={s} selected={params.status === s}>{s.replace(/_/g, ' ').toLowerCase()}</option>}</For>
            </select>
          )}
        </Field>
        <Field label="Datasource" name="datasource">
          {(a) => (
            <select {...a} value={params.datasource ?? ''} onChange={(e) => setParams({ datasource: e.currentTarget.value || undefined })}>
              <option value="">Any</option>
              <For each={datasources()}>{([id, name]) => <option value={id} selected={params.datasource === id}>{name}</option>}</For>
            </select>
          )}
        </Field>
        <Field label="Risk" name="risk">
          {(a) => (
            <select {...a} value={params.risk ?? ''} onChange={(e) => setParams({ risk: e.currentTarget.value || undefined })}>
              <option value="">Any</option>
              <For each={['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']}>{(l) => <option value={l} selected={params.risk === l}>{l.toLowerCase()}</option>}</For>
            </select>
          )}
        </Field>
        <Field label="Search" name="q">
          {(a) => <input {...a} type="search" value={params.q ?? ''} onInput={(e) => setParams({ q: e.currentTarget.value || undefined }, { replace: true })} />}
        </Field>
        <Field label="From" name="from">
          {(a) => <input {...a} type="date" value={params.from ?? ''} onChange={(e) => setParams({ from: e.currentTarget.value || undefined })} />}
        </Field>
        <Field label="To" name="to">
          {(a) => <input {...a} type="date" value={params.to ?? ''} onChange={(e) => setParams({ to: e.currentTarget.value || undefined })} />}
        </Field>
        <label class="check">
          <input type="checkbox" checked={params.mine === '1'} onChange={(e) => (setAfter(null), setParams({ mine: e.currentTarget.checked ? '1' : undefined }))} /> Only mine
        </label>
      </form>
      <QueryError error={history.error} />
      <Show when={history.data || !history.fetching} fallback={<Loading />}>
        <Table
          caption="Query requests"
          columns={['Query', 'Status', 'Type', 'Risk', 'Datasource', 'Submitter', 'Submitted']}
          rows={rows()}
          empty="No request matches these filters."
          row={(r) => (
            <tr>
              <td>
                <A href={`/queries/${r.id}`}>
                  <code class="sql-line">{r.query}</code>
                </A>
              </td>
              <td><StatusBadge status={r.status} /></td>
              <td>{r.queryType}</td>
              <td><RiskBadge level={r.riskLevel} /></td>
              <td>{r.datasource?.name}</td>
              <td>{r.submittedBy?.displayName}</td>
              <td><When at={r.createdAt} /></td>
            </tr>
          )}
        />
        <div class="actions-row">
          <Show when={after()}>
            <button type="button" class="secondary" onClick={() => setAfter(null)}>Newest</button>
          </Show>
          <Show when={history.data?.queryRequests.pageInfo.hasNextPage}>
            <button type="button" class="secondary" onClick={() => setAfter(history.data?.queryRequests.pageInfo.endCursor ?? null)}>Older requests</button>
          </Show>
        </div>
      </Show>
    </section>
  );
}
