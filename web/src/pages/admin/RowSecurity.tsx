/** Row-security policies: a filter `column operator value` added to every read of a table. */
import { createQuery } from '@urql/solid';
import { For } from 'solid-js';
import { client } from '../../client.ts';
import { AdminRowSecurityDocument, DeleteRowSecurityPolicyDocument, UpsertRowSecurityPolicyDocument } from '../../graphql/admin.documents.ts';
import type { RowOperator, RowSecurityRole, RowValueType } from '../../graphql/generated.ts';
import { Table } from '../../table.tsx';
import { Field } from '../../ui.tsx';
import { AudiencePicks, PolicyPage, RemoveButton, audience, usePolicyPage } from './policy-page.tsx';

const OPERATORS: RowOperator[] = ['EQUALS', 'NOT_EQUALS', 'IN', 'NOT_IN', 'GREATER_THAN', 'GREATER_THAN_OR_EQUAL', 'LESS_THAN', 'LESS_THAN_OR_EQUAL'];
const ROLES: RowSecurityRole[] = ['ADMIN', 'REVIEWER', 'ANALYST', 'AUDITOR', 'READONLY'];

export default function RowSecurity() {
  const page = usePolicyPage(() => refetch({ requestPolicy: 'network-only' }));
  const [policies, refetch] = createQuery({ query: AdminRowSecurityDocument, variables: () => ({ datasourceId: page.datasource() ?? null }) });
  const rows = () => policies.data?.rowSecurityPolicies.edges.map((e) => e.node) ?? [];
  const save = page.saver(
    (f) =>
      client
        .mutation(UpsertRowSecurityPolicyDocument, {
          input: {
            datasourceId: f.text('datasourceId'),
            tableName: f.text('tableName'),
            columnName: f.text('columnName'),
            operator: f.text('operator') as RowOperator,
            valueType: f.text('valueType') as RowValueType,
            valueExpression: f.text('valueExpression'),
            appliesToRoles: f.all('appliesToRoles') as RowSecurityRole[],
            appliesToGroupIds: f.all('appliesToGroupIds'),
            appliesToUserIds: f.all('appliesToUserIds'),
            enabled: f.checked('enabled'),
          },
        })
        .toPromise(),
    'Row-security policy saved.',
  );
  const remove = page.remover((id) => client.mutation(DeleteRowSecurityPolicyDocument, { id }).toPromise(), 'Policy removed.');
  return (
    <PolicyPage
      page={page}
      title="Row security"
      formTitle="Filter rows"
      onSubmit={save}
      listError={policies.error}
      listLoading={!policies.data && policies.fetching}
      list={
        <Table
          caption="Row-security policies"
          columns={['Datasource', 'Filter', 'Applies to', 'Enabled', 'Actions']}
          rows={rows()}
          empty="No row-security policy: reads see every row their grant allows."
          row={(p) => (
            <tr>
              <td>{page.dir.name(p.datasourceId)}</td>
              <td><code>{`${p.tableName}.${p.columnName} ${p.operator} ${p.valueType === 'VARIABLE' ? ':' : ''}${p.valueExpression}`}</code></td>
              <td>{audience(page.dir, p.appliesToRoles, p.appliesToGroupIds, p.appliesToUserIds) || 'everyone'}</td>
              <td>{p.enabled ? 'yes' : 'no'}</td>
              <td><RemoveButton onClick={() => remove(p.id)} what={`policy on ${p.tableName}`} /></td>
            </tr>
          )}
        />
      }
    >
      <Field label="Table" name="tableName" problem={page.problem()}>{(a) => <input {...a} required />}</Field>
      <Field label="Column" name="columnName" problem={page.problem()}>{(a) => <input {...a} required />}</Field>
      <Field label="Operator" name="operator" problem={page.problem()}>
        {(a) => <select {...a}><For each={OPERATORS}>{(o) => <option value={o}>{o.replace(/_/g, ' ').toLowerCase()}</option>}</For></select>}
      </Field>
      <Field label="Value type" name="valueType" problem={page.problem()}>
        {(a) => <select {...a}><option value="LITERAL">literal</option><option value="VARIABLE">user variable</option></select>}
      </Field>
      <Field label="Value" name="valueExpression" problem={page.problem()} hint="A literal (comma-separated for IN) or user.id, user.email, user.<attribute>.">{(a) => <input {...a} required />}</Field>
      <AudiencePicks dir={page.dir} prefix="appliesTo" verb="Applies to (none = everyone):" roles={ROLES} />
    </PolicyPage>
  );
}
