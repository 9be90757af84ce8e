/** Review plans: start from a template, set stages of approvers, save by name. */
import { createQuery } from '@urql/solid';
import { For, Index, Show, createSignal } from 'solid-js';
import { client } from '../../client.ts';
import { AdminReviewPlansDocument, DeleteReviewPlanDocument, DirectoryDocument, UpsertReviewPlanDocument } from '../../graphql/admin.documents.ts';
import type { ApproverInput, ApproverRole, ReviewPlanFieldsFragment, RiskLevel } from '../../graphql/generated.ts';
import { Table } from '../../table.tsx';
import { Field, Loading, outcome, PageHeader, ProblemBanner, QueryError, RowButton, type Problem, useBusy } from '../../ui.tsx';
import { MultiPick } from './directory.tsx';

/** A plan being edited, or a template being started from (templates name no notification channels). */
type Draft = ReviewPlanFieldsFragment & { name: string; notifyChannelIds?: readonly string[] };
const ROLES: ApproverRole[] = ['REVIEWER', 'ADMIN', 'ANALYST', 'AUDITOR', 'READONLY'];

export default function ReviewPlans() {
  const [data, refetch] = createQuery({ query: AdminReviewPlansDocument });
  const [directory] = createQuery({ query: DirectoryDocument });
  const [draft, setDraft] = createSignal<Draft | null>(null);
  const [approvers, setApprovers] = createSignal<ApproverInput[]>([]);
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [notice, setNotice] = createSignal('');
  const [busy, run] = useBusy();
  const plans = () => data.data?.reviewPlans.edges.map((e) => e.node) ?? [];
  const templates = () => data.data?.reviewPlanTemplates ?? [];
  const channels = () => data.data?.notificationChannels.edges.map((e) => ({ id: e.node.id, label: e.node.name })) ?? [];
  const users = () => directory.data?.users.edges.map((e) => e.node) ?? [];
  const groups = () => directory.data?.userGroups.edges.map((e) => e.node) ?? [];
  const open = (plan: Draft, name = plan.name) => {
    setProblem(null);
    setDraft({ ...plan, name });
    setApprovers(plan.approvers.map(({ stage, role, userId, groupId }) => ({ stage, role, userId, groupId })));
  };
  const save = (event: SubmitEvent) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(f.get(name) ?? '').trim();
    void run(async () => {
      const done = outcome(
        await client
          .mutation(UpsertReviewPlanDocument, {
            input: {
              name: text('name'),
              description: text('description') || null,
              requiresAiReview: f.get('requiresAiReview') === 'on',
              requiresHumanApproval: f.get('requiresHumanApproval') === 'on',
              autoApproveReads: f.get('autoApproveReads') === 'on',
              autoApproveMaxRiskLevel: text('autoApproveMaxRiskLevel') as RiskLevel,
              minApprovalsRequired: Number(text('minApprovalsRequired')),
              approvalTimeoutHours: Number(text('approvalTimeoutHours')),
              approvers: approvers(),
              // Omitted would mean none: the channels picked here are sent every time.
              notifyChannelIds: f.getAll('notifyChannelIds').map(String),
            },
          })
          .toPromise(),
      );
      if (!done.ok) return setProblem(done.problem);
      setNotice(`Saved ${done.value.name}.`);
      setDraft(null);
      refetch({ requestPolicy: 'network-only' });
    });
  };
  const remove = (id: string, name: string) =>
    confirm(`Delete review plan ${name}?`) &&
    run(async () => {
      const done = outcome(await client.mutation(DeleteReviewPlanDocument, { id }).toPromise());
      setNotice(done.ok ? `Deleted ${name}.` : done.problem.message);
      refetch({ requestPolicy: 'network-only' });
    });
  const setApprover = (index: number, patch: Partial<ApproverInput>) =>
    setApprovers(approvers().map((a, i) => (i === index ? { ...a, ...patch } : a)));

  return (
    <section>
      <PageHeader title="Review plans">
        <label class="inline">
          <span>New from template</span>
          <select onChange={(e) => {
            const t = templates().find((x) => x.name === e.currentTarget.value);
            if (t) open(t, '');
            e.currentTarget.value = '';
          }}>
            <option value="">Choose…</option>
            <For each={templates()}>{(t) => <option value={t.name}>{t.name}</option>}</For>
          </select>
        </label>
      </PageHeader>
      <p class="muted" role="status" aria-live="polite">{notice()}</p>
      <QueryError error={data.error} />
      <Show when={draft()}>
        {(d) => (
          <form class="card grid-form" onSubmit={save} novalidate aria-label="Review plan">
            <h2>{d().name ? `Edit ${d().name}` : 'New review plan'}</h2>
            <ProblemBanner problem={problem()} />
            <Field label="Name" name="name" problem={problem()}>{(a) => <input {...a} required value={d().name} />}</Field>
            <Field label="Description" name="description" problem={problem()}>{(a) => <input {...a} value={d().description ?? ''} />}</Field>
            <Field label="Approvals per stage" name="minApprovalsRequired" problem={problem()}>{(a) => <input {...a} type="number" min="1" max="10" value={d().minApprovalsRequired} />}</Field>
            <Field label="Timeout (hours)" name="approvalTimeoutHours" problem={problem()}>{(a) => <input {...a} type="number" min="1" value={d().approvalTimeoutHours} />}</Field>
            <MultiPick label="Notify channels" name="notifyChannelIds" options={channels()} selected={d().notifyChannelIds ?? []} />
            <Field label="Auto-approve reads up to risk" name="autoApproveMaxRiskLevel" problem={problem()}>
              {(a) => (
                <select {...a} value={d().autoApproveMaxRiskLevel}>
                  <For each={['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']}>{(l) => <option value={l} selected={d().autoApproveMaxRiskLevel === l}>{l}</option>}</For>
                </select>
              )}
            </Field>
            <label class="check"><input type="checkbox" name="requiresAiReview" checked={d().requiresAiReview} /> Risk review before routing</label>
            <label class="check"><input type="checkbox" name="requiresHumanApproval" checked={d().requiresHumanApproval} /> Human approval required</label>
            <label class="check"><input type="checkbox" name="autoApproveReads" checked={d().autoApproveReads} /> Auto-approve reads</label>
            <fieldset class="wide">
              <legend>Approvers (one of role, user or group per slot)</legend>
              <Index each={approvers()}>
                {(a, i) => (
                  <div class="approver-row">
                    <label>Stage <input type="number" min="1" value={a().stage} onInput={(e) => setApprover(i, { stage: Number(e.currentTarget.value) })} /></label>
                    <label>Role
                      <select value={a().role ?? ''} onChange={(e) => setApprover(i, { role: (e.currentTarget.value || null) as ApproverRole | null, userId: null, groupId: null })}>
                        <option value="">—</option>
                        <For each={ROLES}>{(r) => <option value={r} selected={a().role === r}>{r}</option>}</For>
                      </select>
                    </label>
                    <label>User
                      <select value={String(a().userId ?? '')} onChange={(e) => setApprover(i, { userId: e.currentTarget.value || null, role: null, groupId: null })}>
                        <option value="">—</option>
                        <For each={users()}>{(u) => <option value={u.id} selected={a().userId === u.id}>{u.displayName}</option>}</For>
                      </select>
                    </label>
                    <label>Group
                      <select value={String(a().groupId ?? '')} onChange={(e) => setApprover(i, { groupId: e.currentTarget.value || null, role: null, userId: null })}>
                        <option value="">—</option>
                        <For each={groups()}>{(g) => <option value={g.id} selected={a().groupId === g.id}>{g.name}</option>}</For>
                      </select>
                    </label>
                    <button type="button" class="link danger" onClick={() => setApprovers(approvers().filter((_, j) => j !== i))}>Remove slot {i + 1}</button>
                  </div>
                )}
              </Index>
              <button type="button" class="secondary" onClick={() => setApprovers([...approvers(), { stage: 1, role: 'REVIEWER' }])}>Add approver slot</button>
            </fieldset>
            <div class="actions-row">
              <button type="submit" disabled={busy()}>Save</button>
              <button type="button" class="secondary" onClick={() => setDraft(null)}>Cancel</button>
            </div>
          </form>
        )}
      </Show>
      <Show when={data.data || !data.fetching} fallback={<Loading />}>
        <Table
          caption="Review plans"
          columns={['Name', 'Human approval', 'Approvals/stage', 'Stages', 'Auto-approve reads', 'Actions']}
          rows={plans()}
          empty="No review plan yet: datasources use the organization default. Start from a template above."
          row={(p) => (
            <tr>
              <td>{p.name}</td>
              <td>{p.requiresHumanApproval ? 'yes' : 'no'}</td>
              <td>{p.minApprovalsRequired}</td>
              <td>{new Set(p.approvers.map((a) => a.stage)).size}</td>
              <td>{p.autoApproveReads ? `up to ${p.autoApproveMaxRiskLevel}` : 'no'}</td>
              <td class="actions-row">
                <RowButton label="Edit" subject={p.name} onClick={() => open(p)} />
                <RowButton label="Delete" subject={p.name} danger onClick={() => remove(p.id, p.name)} />
              </td>
            </tr>
          )}
        />
      </Show>
    </section>
  );
}
