/** Masking policies: how a column is shown to everyone not in its reveal lists. */
import { useSearchParams } from '@solidjs/router';
import { createQuery } from '@urql/solid';
import { For, Show, createSignal } from 'solid-js';
import { client } from '../../client.ts';
import { AdminMaskingDocument, DeleteMaskingPolicyDocument, UpsertMaskingPolicyDocument, type MaskingStrategy, type RevealRole } from '../../graphql/generated.ts';
import { Field, Loading, PageHeader, ProblemBanner, QueryError, Table, outcome, useBusy, type Problem } from '../../ui.tsx';
import { DatasourcePicker, MultiPick, useDirectory } from './directory.tsx';

const STRATEGIES: MaskingStrategy[] = ['FULL', 'PARTIAL', 'EMAIL', 'HASH', 'FORMAT_PRESERVING'];
const ROLES: RevealRole[] = ['ADMIN', 'REVIEWER', 'ANALYST', 'AUDITOR', 'READONLY'];

export default function Masking() {
  const [params, setParams] = useSearchParams<{ datasource?: string }>();
  const dir = useDirectory();
  const [policies, refetch] = createQuery({ query: AdminMaskingDocument, variables: () => ({ datasourceId: params.datasource ?? null }) });
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [notice, setNotice] = createSignal('');
  const [busy, run] = useBusy();
  const rows = () => policies.data?.maskingPolicies.edges.map((e) => e.node) ?? [];
  const save = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const text = (name: string) => String(f.get(name) ?? '').trim();
    void run(async () => {
      const done = outcome(
        await client
          .mutation(UpsertMaskingPolicyDocument, {
            input: {
              datasourceId: text('datasourceId'),
              columnRef: text('columnRef'),
              strategy: text('strategy') as MaskingStrategy,
              revealToRoles: f.getAll('revealToRoles').map(String) as RevealRole[],
              revealToGroupIds: f.getAll('revealToGroupIds').map(String),
              revealToUserIds: f.getAll('revealToUserIds').map(String),
              enabled: f.get('enabled') === 'on',
            },
          })
          .toPromise(),
      );
      if (!done.ok) return setProblem(done.problem);
      setProblem(null);
      setNotice('Masking policy saved.');
      form.reset();
      refetch({ requestPolicy: 'network-only' });
    });
  };
  const remove = (id: string) =>
    run(async () => {
      const done = outcome(await client.mutation(DeleteMaskingPolicyDocument, { id }).toPromise());
      setNotice(done.ok ? 'Policy removed.' : done.problem.message);
      refetch({ requestPolicy: 'network-only' });
    });
  return (
    <section>
      <PageHeader title="Masking policies">
        <DatasourcePicker value={params.datasource} onChange={(id) => setParams({ datasource: id })} datasources={dir.datasources()} label="Show" name="show" />
      </PageHeader>
      <p class="muted" role="status" aria-live="polite">{notice()}</p>
      <form class="card grid-form" onSubmit={save} novalidate aria-label="Mask a column">
        <h2>Mask a column</h2>
        <ProblemBanner problem={problem()} />
        <DatasourcePicker value={params.datasource} onChange={() => {}} datasources={dir.datasources()} required />
        <Field label="Column" name="columnRef" problem={problem()} hint="table.column, e.g. customers.email">{(a) => <input {...a} required />}</Field>
        <Field label="Strategy" name="strategy" problem={problem()}>
          {(a) => <select {...a}><For each={STRATEGIES}>{(s) => <option value={s}>{s}</option>}</For></select>}
        </Field>
        <MultiPick label="Reveal to roles" name="revealToRoles" options={ROLES.map((r) => ({ id: r, label: r }))} selected={[]} />
        <MultiPick label="Reveal to groups" name="revealToGroupIds" options={dir.groups().map((g) => ({ id: g.id, label: g.name }))} selected={[]} />
        <MultiPick label="Reveal to users" name="revealToUserIds" options={dir.users().map((u) => ({ id: u.id, label: u.displayName }))} selected={[]} />
        <label class="check"><input type="checkbox" name="enabled" checked /> Enabled</label>
        <div class="actions-row"><button type="submit" disabled={busy()}>Save policy</button></div>
      </form>
      <QueryError error={policies.error} />
      <Show when={policies.data || !policies.fetching} fallback={<Loading />}>
        <Table
          caption="Masking policies"
          columns={['Datasource', 'Column', 'Strategy', 'Revealed to', 'Enabled', 'Actions']}
          rows={rows()}
          empty="No masking policy: every column is shown as stored."
          row={(p) => (
            <tr>
              <td>{dir.name(p.datasourceId)}</td>
              <td><code>{p.columnRef}</code></td>
              <td>{p.strategy}</td>
              <td>{[...p.revealToRoles, ...p.revealToGroupIds.map(dir.name), ...p.revealToUserIds.map(dir.name)].join(', ') || 'nobody'}</td>
              <td>{p.enabled ? 'yes' : 'no'}</td>
              <td><button type="button" class="link danger" onClick={() => remove(p.id)}>Remove<span class="sr-only"> policy on {p.columnRef}</span></button></td>
            </tr>
          )}
        />
      </Show>
    </section>
  );
}
