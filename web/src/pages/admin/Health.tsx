/** Datasource health: live connection check, latency, pool use, and the last 24 hours of requests. */
import { useSearchParams } from '@solidjs/router';
import { createQuery } from '@urql/solid';
import { Show, onCleanup } from 'solid-js';
import { Gauge, StackedBars } from '../../charts.tsx';
import { DatasourceHealthDocument } from '../../graphql/admin.documents.ts';
import { Empty, Loading, PageHeader, QueryError, When } from '../../ui.tsx';
import { DatasourcePicker, useDirectory } from './directory.tsx';

const REFRESH_MS = 30_000;

export default function Health() {
  const [params, setParams] = useSearchParams<{ datasource?: string }>();
  const dir = useDirectory();
  const selected = () => params.datasource ?? dir.datasources()[0]?.id;
  const [health, refetch] = createQuery({ query: DatasourceHealthDocument, variables: () => ({ datasourceId: selected() ?? '' }), pause: () => !selected() });
  const timer = setInterval(() => selected() && refetch({ requestPolicy: 'network-only' }), REFRESH_MS);
  onCleanup(() => clearInterval(timer));
  const ms = (value: number | null | undefined) => (value == null ? '—' : `${value.toFixed(value < 10 ? 1 : 0)} ms`);
  return (
    <section>
      <PageHeader title="Datasource health">
        <DatasourcePicker value={selected()} onChange={(id) => setParams({ datasource: id })} datasources={dir.datasources()} required />
        <button type="button" class="secondary" onClick={() => refetch({ requestPolicy: 'network-only' })}>
          Check now
        </button>
      </PageHeader>
      <QueryError error={health.error ?? dir.directory.error} />
      <Show when={dir.directory.data && dir.datasources().length === 0}>
        <Empty>No datasource yet.</Empty>
      </Show>
      <Show when={health.data?.datasourceHealth} fallback={<Show when={selected()}><Loading /></Show>}>
        {(h) => (
          <div class="health" aria-busy={health.fetching}>
            <div class="stats">
              <div class={`stat ${h().connection.ok ? 'ok' : 'bad'}`}>
                <span class="muted">Connection</span>
                <strong>{h().connection.ok ? 'reachable' : 'failing'}</strong>
                <span>{h().connection.ok ? `${ms(h().connection.latencyMs)} · ${h().connection.serverVersion ?? ''}` : h().connection.error}</span>
              </div>
              <div class="stat">
                <span class="muted">Latency p50 / p95 (24 h)</span>
                <strong>
                  {ms(h().p50DurationMs)} / {ms(h().p95DurationMs)}
                </strong>
              </div>
              <div class="stat">
                <span class="muted">Requests (24 h)</span>
                <strong>{h().submitted} submitted</strong>
                <span>
                  {h().executed} executed · {h().errorCount} failed
                </span>
              </div>
            </div>
            <div class="charts">
              <StackedBars
                title="Requests per hour"
                period="last 24 hours"
                buckets={h().volume.map((v) => ({
                  label: new Date(v.hour).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
                  counts: { ok: v.executed - v.failed, failed: v.failed, waiting: Math.max(0, v.submitted - v.executed) },
                }))}
                series={[
                  { key: 'ok', label: 'executed', class: 'fill-ok' },
                  { key: 'failed', label: 'failed', class: 'fill-bad' },
                  { key: 'waiting', label: 'not run', class: 'fill-info' },
                ]}
              />
              <Show when={h().pool} fallback={<p class="muted">The connection pool opens on first use; none is open on this server yet.</p>}>
                {(pool) => (
                  <Gauge
                    title={`Connection pool${pool().waiting > 0 ? ` (${pool().waiting} waiting)` : ''}`}
                    max={pool().max}
                    parts={[
                      { label: 'active', value: pool().active, class: 'fill-warn' },
                      { label: 'idle', value: pool().idle, class: 'fill-ok' },
                    ]}
                  />
                )}
              </Show>
            </div>
            <Show when={h().lastError}>
              {(e) => (
                <div class="banner error">
                  <strong>Last error</strong> (<When at={e().at} />, <a href={`/queries/${e().requestId}`}>request</a>): {e().message}
                </div>
              )}
            </Show>
            <p class="muted">
              Checked <When at={h().checkedAt} />; refreshed every 30 s.
            </p>
          </div>
        )}
      </Show>
    </section>
  );
}
