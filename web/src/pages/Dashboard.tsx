/** My requests, what waits for me, and two trends (volume by outcome, risk by level) over the last two weeks. */
import { A } from '@solidjs/router';
import { createQuery } from '@urql/solid';
import { For, Show } from 'solid-js';
import { DailyBars } from '../charts.tsx';
import { DashboardDocument } from '../graphql/requests.documents.ts';
import type { RequestSummaryFragment } from '../graphql/generated.ts';
import { canReview, useMe } from '../me.ts';
import { Empty, Loading, PageHeader, QueryError, RiskBadge, StatusBadge, When } from '../ui.tsx';

const OUTCOME: Record<string, string> = {
  EXECUTED: 'done', APPROVED: 'open', PENDING_AI: 'open', PENDING_REVIEW: 'open', EXECUTING: 'open',
  REJECTED: 'refused', CANCELLED: 'refused', TIMED_OUT: 'refused', CHANGES_REQUESTED: 'refused', FAILED: 'failed',
};

export default function Dashboard() {
  const me = useMe();
  const reviewer = () => canReview(me());
  // Reviewers also see their queue; everyone else only their own requests.
  const [data] = createQuery({ query: DashboardDocument, variables: () => ({ withQueue: reviewer() }), pause: () => !me() });
  const trend = () => data.data?.trend.edges.map((e) => e.node) ?? [];
  const recent = (): RequestSummaryFragment[] => data.data?.recent.edges.map((e) => e.node) ?? [];
  const waiting = (): RequestSummaryFragment[] => data.data?.waiting?.edges.map((e) => e.node) ?? [];
  return (
    <section>
      <PageHeader title="Dashboard">
        <A class="button" href="/editor">New query</A>
      </PageHeader>
      <QueryError error={data.error} />
      <Show when={data.data} fallback={<Loading />}>
        <div class="charts">
          <DailyBars
            title="My requests per day"
            items={trend()}
            at={(r) => r.createdAt}
            seriesOf={(r) => OUTCOME[r.status] ?? 'open'}
            series={[
              { key: 'done', label: 'executed', class: 'fill-ok' },
              { key: 'open', label: 'open', class: 'fill-info' },
              { key: 'refused', label: 'refused', class: 'fill-warn' },
              { key: 'failed', label: 'failed', class: 'fill-bad' },
            ]}
          />
          <DailyBars
            title="Risk of my requests"
            items={trend()}
            at={(r) => r.createdAt}
            seriesOf={(r) => r.riskLevel ?? 'LOW'}
            series={[
              { key: 'LOW', label: 'low', class: 'fill-ok' },
              { key: 'MEDIUM', label: 'medium', class: 'fill-info' },
              { key: 'HIGH', label: 'high', class: 'fill-warn' },
              { key: 'CRITICAL', label: 'critical', class: 'fill-bad' },
            ]}
          />
        </div>
        <Show when={reviewer()}>
          <h2>
            Waiting for me <A href="/reviews">(open the queue)</A>
          </h2>
          <RequestList items={waiting()} empty="Nothing waits for your review." />
        </Show>
        <h2>My requests</h2>
        <RequestList items={recent()} empty={<>You have not submitted a query yet. <A href="/editor">Write one</A>.</>} />
      </Show>
    </section>
  );
}

export function RequestList(props: { items: RequestSummaryFragment[]; empty: import('solid-js').JSX.Element }) {
  return (
    <Show when={props.items.length > 0} fallback={<Empty>{props.empty}</Empty>}>
      <ul class="request-list">
        <For each={props.items}>
          {(r) => (
            <li>
              <A href={`/queries/${r.id}`}>
                <code class="sql-line">{r.query}</code>
              </A>
              <span class="meta">
                <StatusBadge status={r.status} /> <RiskBadge level={r.riskLevel} /> {r.datasource?.name ?? r.datasourceId} ·{' '}
                <When at={r.createdAt} />
              </span>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
