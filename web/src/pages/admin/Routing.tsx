/**
 * Routing policies: conditions on a submission (query type, tables, risk, requester, time, …) that approve,
 * reject, escalate or set the approvals it needs, evaluated in order before the review plan. The order can be
 * changed, and a simulation shows what each policy's condition made of a statement, node by node.
 */
import { createQuery } from '@urql/solid';
import { For, Show, createSignal } from 'solid-js';
import { client } from '../../client.ts';
import type { RoutingAction, RoutingPolicyFieldsFragment, SimulateRoutingQuery } from '../../graphql/generated.ts';
import { DeleteRoutingPolicyDocument, ReorderRoutingPoliciesDocument, RoutingPoliciesDocument, SimulateRoutingDocument, UpsertRoutingPolicyDocument } from '../../graphql/routing.documents.ts';
import { Table } from '../../table.tsx';
import { Field, Loading, outcome, PageHeader, ProblemBanner, QueryError, RowButton, type Problem, useBusy } from '../../ui.tsx';
import { DatasourcePicker, useDirectory } from './directory.tsx';

const ACTIONS: RoutingAction[] = ['REQUIRE_APPROVALS', 'ESCALATE', 'AUTO_APPROVE', 'AUTO_REJECT'];
const EXAMPLE = '{ "type": "and", "children": [\n  { "type": "query_type", "any_of": ["DELETE", "UPDATE"] },\n  { "type": "has_where", "expected": false }\n] }';

interface Draft {
  name: string;
  description: string;
  datasourceId: string;
  priority: string;
  action: RoutingAction;
  requiredApprovals: string;
  reason: string;
  timeZone: string;
  enabled: boolean;
  condition: string;
}
const EMPTY: Draft = { name: '', description: '', datasourceId: '', priority: '', action: 'REQUIRE_APPROVALS', requiredApprovals: '2', reason: '', timeZone: 'UTC', enabled: true, condition: EXAMPLE };

type Simulation = Extract<SimulateRoutingQuery['simulateRouting'], { data: unknown }>['data'];
interface TraceNode {
  type: string;
  result: 'TRUE' | 'FALSE' | 'UNKNOWN';
  detail: string;
  children?: TraceNode[];
}

/** The condition's issues (paths `condition`, `condition.children.0.any_of`, …) as one message at its field. */
function conditionProblem(problem: Problem | null): Problem | null {
  const issues = problem?.issues.filter((i) => /(^|\.)condition(\.|$)/.test(i.path)) ?? [];
  if (!problem || issues.length === 0) return problem;
  return { ...problem, issues: [{ path: 'condition', message: issues.map((i) => `${i.path.replace(/^(input\.)?condition\.?/, '') || 'condition'}: ${i.message}`).join('; ') }] };
}

export default function Routing() {
  const dir = useDirectory();
  const [policies, refetch] = createQuery({ query: RoutingPoliciesDocument });
  const [draft, setDraft] = createSignal<Draft>(EMPTY);
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [notice, setNotice] = createSignal('');
  const [busy, run] = useBusy();
  const rows = () => policies.data?.routingPolicies.edges.map((e) => e.node) ?? [];
  const set = (field: keyof Draft) => (event: { currentTarget: { value: string } }) => setDraft({ ...draft(), [field]: event.currentTarget.value });
  const reload = () => refetch({ requestPolicy: 'network-only' });

  const save = (event: SubmitEvent) => {
    event.preventDefault();
    const d = draft();
    let condition: unknown;
    try {
      condition = JSON.parse(d.condition);
    } catch (error) {
      return setProblem({ code: 'VALIDATION_FAILED', message: 'The condition is not JSON.', issues: [{ path: 'condition', message: `not JSON: ${(error as Error).message}` }] });
    }
    void run(async () => {
      const done = outcome(
        await client
          .mutation(UpsertRoutingPolicyDocument, {
            input: {
              name: d.name.trim(),
              description: d.description.trim() || null,
              datasourceId: d.datasourceId || null,
              priority: Number(d.priority),
              action: d.action,
              requiredApprovals: d.requiredApprovals && (d.action === 'REQUIRE_APPROVALS' || d.action === 'ESCALATE') ? Number(d.requiredApprovals) : null,
              reason: d.reason.trim() || null,
              timeZone: d.timeZone.trim() || null,
              enabled: d.enabled,
              condition,
            },
          })
          .toPromise(),
      );
      if (!done.ok) return setProblem(done.problem);
      setProblem(null);
      setNotice(`Saved ${done.value.name}.`);
      setDraft(EMPTY);
      reload();
    });
  };
  const edit = (p: RoutingPolicyFieldsFragment) => {
    setDraft({
      name: p.name,
      description: p.description ?? '',
      datasourceId: p.datasourceId ?? '',
      priority: String(p.priority),
      action: p.action,
      requiredApprovals: p.requiredApprovals == null ? '' : String(p.requiredApprovals),
      reason: p.reason ?? '',
      timeZone: p.timeZone,
      enabled: p.enabled,
      condition: JSON.stringify(p.condition, null, 2),
    });
    setProblem(null);
    document.getElementById('routing-form')?.querySelector('input')?.focus();
  };
  /** Moves a policy one place up or down; the server renumbers every policy in the new order. */
  const move = (index: number, by: -1 | 1) =>
    run(async () => {
      const ids = rows().map((p) => p.id);
      [ids[index], ids[index + by]] = [ids[index + by]!, ids[index]!];
      const done = outcome(await client.mutation(ReorderRoutingPoliciesDocument, { input: { ids } }).toPromise());
      setNotice(done.ok ? 'Order saved.' : done.problem.message);
      reload();
    });
  const remove = (p: RoutingPolicyFieldsFragment) =>
    run(async () => {
      const done = outcome(await client.mutation(DeleteRoutingPolicyDocument, { id: p.id }).toPromise());
      setNotice(done.ok ? `Deleted ${p.name}.` : done.problem.message);
      reload();
    });

  return (
    <section>
      <PageHeader title="Routing policies" />
      <p class="muted" role="status" aria-live="polite">
        {notice()}
      </p>
      <QueryError error={policies.error} />
      <Show when={policies.data || !policies.fetching} fallback={<Loading />}>
        <Table
          caption="Routing policies in evaluation order"
          columns={['Order', 'Policy', 'Applies to', 'Action', 'Condition', 'Actions']}
          rows={rows()}
          empty="No routing policy: every submission goes to its datasource's review plan."
          row={(p) => {
            const index = () => rows().indexOf(p);
            return (
              <tr>
                <td>
                  {p.priority}
                  <div class="actions">
                    <button type="button" class="link" disabled={busy() || index() === 0} onClick={() => move(index(), -1)}>
                      Up<span class="sr-only"> {p.name}</span>
                    </button>
                    <button type="button" class="link" disabled={busy() || index() === rows().length - 1} onClick={() => move(index(), 1)}>
                      Down<span class="sr-only"> {p.name}</span>
                    </button>
                  </div>
                </td>
                <td>
                  <strong>{p.name}</strong> {p.enabled ? '' : <span class="badge">disabled</span>}
                  <Show when={p.reason}>
                    <small class="muted"> {p.reason}</small>
                  </Show>
                  <Show when={p.unmatchedGlobs?.length}>
                    <small class="field-error"> No table matches {p.unmatchedGlobs!.join(', ')}.</small>
                  </Show>
                </td>
                <td>{p.datasourceId ? dir.name(p.datasourceId) : 'every datasource'}</td>
                <td>
                  {p.action.replace(/_/g, ' ').toLowerCase()}
                  {p.requiredApprovals ? ` (${p.requiredApprovals})` : ''}
                </td>
                <td>
                  <code class="sql-line">{JSON.stringify(p.condition)}</code>
                </td>
                <td>
                  <div class="actions">
                    <RowButton label="Edit" subject={p.name} onClick={() => edit(p)} />
                    <RowButton label="Delete" subject={p.name} danger disabled={busy()} onClick={() => remove(p)} />
                  </div>
                </td>
              </tr>
            );
          }}
        />
      </Show>

      <form id="routing-form" class="card grid-form" onSubmit={save} novalidate aria-label="Save a routing policy">
        <h2>Save a routing policy</h2>
        <ProblemBanner problem={problem()} />
        <Field label="Name" name="name" problem={problem()} hint="Saving under an existing name changes that policy.">
          {(a) => <input {...a} value={draft().name} onInput={set('name')} required />}
        </Field>
        <Field label="Priority" name="priority" problem={problem()} hint="Lower runs first; unique.">
          {(a) => <input {...a} type="number" value={draft().priority} onInput={set('priority')} required />}
        </Field>
        <Field label="Action" name="action" problem={problem()}>
          {(a) => (
            <select {...a} value={draft().action} onChange={set('action')}>
              <For each={ACTIONS}>{(action) => <option value={action} selected={draft().action === action}>{action.replace(/_/g, ' ').toLowerCase()}</option>}</For>
            </select>
          )}
        </Field>
        <Field label="Approvals" name="requiredApprovals" problem={problem()} hint="Require approvals: how many (1–10). Escalate: how many more.">
          {(a) => <input {...a} type="number" min="1" max="10" value={draft().requiredApprovals} onInput={set('requiredApprovals')} />}
        </Field>
        <Field label="Applies to" name="datasourceId" problem={problem()}>
          {(a) => (
            <select {...a} value={draft().datasourceId} onChange={set('datasourceId')}>
              <option value="">Every datasource</option>
              <For each={dir.datasources()}>{(d) => <option value={d.id} selected={draft().datasourceId === d.id}>{d.name}</option>}</For>
            </select>
          )}
        </Field>
        <Field label="Time zone" name="timeZone" problem={problem()} hint="IANA name, for time-of-day and day-of-week conditions.">
          {(a) => <input {...a} value={draft().timeZone} onInput={set('timeZone')} />}
        </Field>
        <Field label="Reason" name="reason" problem={problem()} hint="Shown to the submitter when this policy decides.">
          {(a) => <input {...a} value={draft().reason} onInput={set('reason')} />}
        </Field>
        <Field label="Description" name="description" problem={problem()}>
          {(a) => <input {...a} value={draft().description} onInput={set('description')} />}
        </Field>
        <div class="wide">
          <Field
            label="Condition (JSON)"
            name="condition"
            problem={conditionProblem(problem())}
            hint="and / or {children} · not {child} · query_type, risk_level, requester_role, day_of_week {any_of} · referenced_table {globs} · risk_score {operator, value} · requester_group {group_ids} · time_of_day {start_minute_of_day, end_minute_of_day} · has_where, has_limit, transactional, cicd_origin {expected}"
          >
            {(a) => <textarea {...a} class="code" rows={7} value={draft().condition} onInput={set('condition')} spellcheck={false} />}
          </Field>
        </div>
        <label class="check">
          <input type="checkbox" checked={draft().enabled} onChange={(e) => setDraft({ ...draft(), enabled: e.currentTarget.checked })} /> Enabled
        </label>
        <div class="actions-row">
          <button type="submit" disabled={busy()}>
            Save routing policy
          </button>
          <button type="button" class="secondary" onClick={() => (setDraft(EMPTY), setProblem(null))}>
            New policy
          </button>
        </div>
      </form>

      <Simulate datasources={dir.datasources()} users={dir.users()} />
    </section>
  );
}

/** What the policies make of a statement, without submitting it: the decision and each condition's tree. */
function Simulate(props: { datasources: { id: string; name: string }[]; users: { id: string; displayName: string }[] }) {
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [result, setResult] = createSignal<Simulation | null>(null);
  const [busy, run] = useBusy();
  const simulate = (event: SubmitEvent) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(f.get(name) ?? '').trim();
    void run(async () => {
      const input = { datasourceId: text('datasourceId'), query: text('query'), asUserId: text('asUserId') || null, cicdOrigin: f.get('cicdOrigin') === 'on' };
      const done = outcome(await client.query(SimulateRoutingDocument, { input }, { requestPolicy: 'network-only' }).toPromise());
      if (!done.ok) {
        setResult(null);
        return setProblem(done.problem);
      }
      setProblem(null);
      setResult(done.value);
    });
  };
  return (
    <form class="card grid-form" onSubmit={simulate} novalidate aria-label="Simulate routing">
      <h2>Simulate</h2>
      <ProblemBanner problem={problem()} />
      <DatasourcePicker value={undefined} onChange={() => {}} datasources={props.datasources} required />
      <Field label="Submitted by" name="asUserId" problem={problem()}>
        {(a) => (
          <select {...a}>
            <option value="">Me</option>
            <For each={props.users}>{(u) => <option value={u.id}>{u.displayName}</option>}</For>
          </select>
        )}
      </Field>
      <label class="check">
        <input type="checkbox" name="cicdOrigin" /> From CI
      </label>
      <div class="wide">
        <Field label="Statement" name="query" problem={problem()}>
          {(a) => <textarea {...a} class="code" rows={3} required />}
        </Field>
      </div>
      <div class="actions-row">
        <button type="submit" disabled={busy()}>
          Simulate
        </button>
      </div>
      <div class="wide" aria-live="polite">
        <Show when={result()}>
          {(r) => (
            <div data-testid="routing-simulation">
              <p>
                <strong>
                  {r().refusal
                    ? `Refused before routing: ${r().refusal}`
                    : r().decision
                      ? `Decided by ${r().decision!.policyName}: ${r().decision!.verdict.toLowerCase()}${r().decision!.requiredApprovals ? ` with ${r().decision!.requiredApprovals} approvals` : ''}`
                      : 'No policy applies: the review plan decides.'}
                </strong>{' '}
                <span class="muted">
                  {r().queryType} · risk {r().riskLevel} ({r().riskScore}) · {r().tables.join(', ') || 'no table'}
                </span>
              </p>
              <ol>
                <For each={r().evaluations}>
                  {(e) => (
                    <li>
                      {e.policyName} (priority {e.priority}): <Truth value={e.result} />
                      <TraceTree node={e.trace.tree as TraceNode} />
                    </li>
                  )}
                </For>
              </ol>
            </div>
          )}
        </Show>
      </div>
    </form>
  );
}

function Truth(props: { value: string }) {
  return <span class={`truth-${props.value.toLowerCase()}`}>{props.value.toLowerCase()}</span>;
}

function TraceTree(props: { node: TraceNode }) {
  return (
    <ul class="trace">
      <li>
        <code>{props.node.type}</code> <Truth value={props.node.result} /> <span class="muted">{props.node.detail}</span>
        <For each={props.node.children ?? []}>{(child) => <TraceTree node={child} />}</For>
      </li>
    </ul>
  );
}
