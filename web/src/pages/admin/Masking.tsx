/** Masking policies: how a column is shown to everyone not in its reveal lists. */
import { createQuery } from '@urql/solid';
import { For } from 'solid-js';
import { client } from '../../client.ts';
import { AdminMaskingDocument, DeleteMaskingPolicyDocument, UpsertMaskingPolicyDocument } from '../../graphql/admin.documents.ts';
import type { MaskingStrategy, RevealRole } from '../../graphql/generated.ts';
import { Table } from '../../table.tsx';
import { Field } from '../../ui.tsx';
import { AudiencePicks, PolicyPage, RemoveButton, audience, usePolicyPage } from './policy-page.tsx';

const STRATEGIES: MaskingStrategy[] = ['FULL', 'PARTIAL', 'EMAIL', 'HASH', 'FORMAT_PRESERVING'];
const ROLES: RevealRole[] = ['ADMIN', 'REVIEWER', 'ANALYST', 'AUDITOR', 'READONLY'];

export default function Masking() {
  const page = usePolicyPage(() => refetch({ requestPolicy: 'network-only' }));
  const [policies, refetch] = createQuery({ query: AdminMaskingDocument, variables: () => ({ datasourceId: page.datasource() ?? null }) });
  const rows = () => policies.data?.maskingPolicies.edges.map((e) => e.node) ?? [];
  const save = page.saver(
    (f) =>
      client
        .mutation(UpsertMaskingPolicyDocument, {
          input: {
            datasourceId: f.text('datasourceId'),
            columnRef: f.text('columnRef'),
            strategy: f.text('strategy') as MaskingStrategy,
            revealToRoles: f.all('revealToRoles') as RevealRole[],
            revealToGroupIds: f.all('revealToGroupIds'),
            revealToUserIds: f.all('revealToUserIds'),
            enabled: f.checked('enabled'),
          },
        })
        .toPromise(),
    'Masking policy saved.',
  );
  const remove = page.remover((id) => client.mutation(DeleteMaskingPolicyDocument, { id }).toPromise(), 'Policy removed.');
  return (
    <PolicyPage
      page={page}
      title="Masking policies"
      formTitle="Mask a column"
      onSubmit={save}
      listError={policies.error}
      listLoading={!policies.data && policies.fetching}
      list={
        <Table
          caption="Masking policies"
          columns={['Datasource', 'Column', 'Strategy', 'Revealed to', 'Enabled', 'Actions']}
          rows={rows()}
          empty="No masking policy: every column is shown as stored."
          row={(p) => (
            <tr>
              <td>{page.dir.name(p.datasourceId)}</td>
              <td><code>{p.columnRef}</code></td>
              <td>{p.strategy}</td>
              <td>{audience(page.dir, p.revealToRoles, p.revealToGroupIds, p.revealToUserIds) || 'nobody'}</td>
              <td>{p.enabled ? 'yes' : 'no'}</td>
              <td><RemoveButton onClick={() => remove(p.id)} what={`policy on ${p.columnRef}`} /></td>
            </tr>
          )}
        />
      }
    >
      <Field label="Column" name="columnRef" problem={page.problem()} hint="table.column, e.g. customers.email">{(a) => <input {...a} required />}</Field>
      <Field label="Strategy" name="strategy" problem={page.problem()}>
        {(a) => <select {...a}><For each={STRATEGIES}>{(s) => <option value={s}>{s}</option>}</For></select>}
      </Field>
      <AudiencePicks dir={page.dir} prefix="revealTo" verb="Reveal to" roles={ROLES} />
    </PolicyPage>
  );
}
