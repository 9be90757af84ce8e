/** Row-security policies: a filter `column operator value` added to every read of a table. */
import { useSearchParams } from '@solidjs/router';
import { createQuery } from '@urql/solid';
import { For, Show, createSignal } from 'solid-js';
import { client } from '../../client.ts';
import { AdminRowSecurityDocument, DeleteRowSecurityPolicyDocument, UpsertRowSecurityPolicyDocument, type RowOperator, type RowSecurityRole, type RowValueType } from '../../graphql/generated.ts';
import { Field, Loading, PageHeader, ProblemBanner, QueryError, Table, outcome, useBusy, type Problem } from '../../ui.tsx';
import { DatasourcePicker, MultiPick, useDirectory } from './directory.tsx';

const OPERATORS: RowOperator[] = ['EQUALS', 'NOT_EQUALS', 'IN', 'NOT_IN', 'GREATER_THAN', 'GREATER_THAN_OR_EQUAL', 'LESS_THAN', 'LESS_THAN_OR_EQUAL'];
const ROLES: RowSecurityRole[] = ['ADMIN', 'REVIEWER', 'ANALYST', 'AUDITOR', 'READONLY'];

export default function RowSecurity() {
  const [params, setParams] = useSearchParams<{ datasource?: string }>();
  const dir = useDirectory();
  const [policies, refetch] = createQuery({ query: AdminRowSecurityDocument, variables: () => ({ datasourceId: params.datasource ?? null }) });
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [notice, setNotice] = createSignal('');
  const [busy, run] = useBusy();
  const rows = () => policies.data?.rowSecurityPolicies.edges.map((e) => e.node) ?? [];
  const save = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const text = (name: string) => String(f.get(name) ?? '').trim();
    void run(async () => {
      const done = outcome(
        await client
          .mutation(UpsertRowSecurityPolicyDocument, {
            input: {
              datasourceId: text('datasourceId'),
              tableName: text('tableName'),
              columnName: text('columnName'),
              operator: text('operator') as RowOperator,
              valueType: text('valueType') as RowValueType,
              valueExpression: text('valueExpression'),
              appliesToRoles: f.getAll('appliesToRoles').map(String) as RowSecurityRole[],
              appliesToGroupIds: f.getAll('appliesToGroupIds').map(String),
              appliesToUserIds: f.getAll('appliesToUserIds').map(String),
              enabled: f.get('enabled') === 'on',
            },
          })
          .toPromise(),
      );
      if (!done.ok) return setProblem(done.problem);
      setProblem(null);
      setNotice('Row-security policy saved.');
      form.reset();
      refetch({ requestPolicy: 'network-only' });
    });
  };
  const remove = (id: string) =>
    run(async () => {
      const done = outcome(await client.mutation(DeleteRowSecurityPolicyDocument, { id }).toPromise());
      setNotice(done.ok ? 'Policy removed.' : done.problem.message);
      refetch({ requestPolicy: 'network-only' });
    });
  return (
    <section>
      <PageHeader title="Row security">
        <DatasourcePicker value={params.datasource} onChange={(id) => setParams({ datasource: id })} datasources={dir.datasources()} label="Show" name="show" />
      </PageHeader>
      <p class="muted" role="status" aria-live="polite">{notice()}</p>
      <form class="card grid-form" onSubmit={save} novalidate aria-label="Filter rows">
        <h2>Filter rows</h2>
        <ProblemBanner problem={problem()} />
        <DatasourcePicker value={params.datasource} onChange={() => {}} datasources={dir.datasources()} required />
        <Field label="Table" name="tableName" problem={problem()}>{(a) => <input {...a} required />}</Field>
        <Field label="Column" name="columnName" problem={problem()}>{(a) => <input {...a} required />}</Field>
        <Field label="Operator" name="operator" problem={problem()}>
          {(a) => <select {...a}><For each={OPERATORS}>{(o) => <option value={o}>{o.replace(/_/g, ' ').toLowerCase()}</option>}</For></select>}
        </Field>
        <Field label="Value type" name="valueType" problem={problem()}>
          {(a) => <select {...a}><option value="LITERAL">literal</option><option value="VARIABLE">user variable</option></select>}
        </Field>
        <Field label="Value" name="valueExpression" problem={problem()} hint="A literal (comma-separated for IN) or user.id, user.email, user.<attribute>.">{(a) => <input {...a} required />}</Field>
        <MultiPick label="Applies to roles (none = everyone)" name="appliesToRoles" options={ROLES.map((r) => ({ id: r, label: r }))} selected={[]} />
        <MultiPick label="Applies to groups" name="appliesToGroupIds" options={dir.groups().map((g) => ({ id: g.id, label: g.name }))} selected={[]} />
        <MultiPick label="Applies to users" name="appliesToUserIds" options={dir.users().map((u) => ({ id: u.id, label: u.displayName }))} selected={[]} />
        <label class="check"><input type="checkbox" name="enabled" checked /> Enabled</label>
        <div class="actions-row"><button type="submit" disabled={busy()}>Save policy</button></div>
      </form>
      <QueryError error={policies.error} />
      <Show when={policies.data || !policies.fetching} fallback={<Loading />}>
        <Table
          caption="Row-security policies"
          columns={['Datasource', 'Filter', 'Applies to', 'Enabled', 'Actions']}
          rows={rows()}
          empty="No row-security policy: reads see every row their grant allows."
          row={(p) => (
            <tr>
              <td>{dir.name(p.datasourceId)}</td>
              <td><code>{`${p.tableName}.${p.columnName} ${p.operator} ${p.valueType === 'VARIABLE' ? ':' : ''}${p.valueExpression}`}</code></td>
              <td>{[...p.appliesToRoles, ...p.appliesToGroupIds.map(dir.name), ...p.appliesToUserIds.map(dir.name)].join(', ') || 'everyone'}</td>
              <td>{p.enabled ? 'yes' : 'no'}</td>
              <td><button type="button" class="link danger" onClick={() => remove(p.id)}>Remove<span class="sr-only"> policy on {p.tableName}</span></button></td>
            </tr>
          )}
        />
      </Show>
    </section>
  );
}
