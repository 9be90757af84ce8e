/** Classification tags: which tables and columns hold PII, PHI, PCI, financial or otherwise sensitive data. */
import { createQuery } from '@urql/solid';
import { For } from 'solid-js';
import { client } from '../../client.ts';
import { AdminClassificationTagsDocument, DeleteClassificationTagDocument, UpsertClassificationTagDocument } from '../../graphql/governance.documents.ts';
import type { DataClassification } from '../../graphql/generated.ts';
import { Table } from '../../table.tsx';
import { Field, When } from '../../ui.tsx';
import { PolicyPage, RemoveButton, usePolicyPage } from './policy-page.tsx';

const CLASSIFICATIONS: DataClassification[] = ['PII', 'PHI', 'PCI', 'GDPR', 'FINANCIAL', 'SENSITIVE'];

export default function Classification() {
  const page = usePolicyPage(() => refetch({ requestPolicy: 'network-only' }));
  const [tags, refetch] = createQuery({ query: AdminClassificationTagsDocument, variables: () => ({ datasourceId: page.datasource() ?? null }) });
  const rows = () => tags.data?.classificationTags.edges.map((e) => e.node) ?? [];
  const save = page.saver(
    (f) =>
      client
        .mutation(UpsertClassificationTagDocument, {
          input: {
            datasourceId: f.text('datasourceId'),
            tableName: f.text('tableName'),
            columnName: f.text('columnName') || null,
            classification: f.text('classification') as DataClassification,
          },
        })
        .toPromise(),
    'Tag saved.',
  );
  const remove = page.remover((id) => client.mutation(DeleteClassificationTagDocument, { id }).toPromise(), 'Tag removed.');
  const place = (t: { tableName: string; columnName: string | null }) => (t.columnName ? `${t.tableName}.${t.columnName}` : t.tableName);
  return (
    <PolicyPage
      page={page}
      title="Classification tags"
      formTitle="Tag a table or column"
      submitLabel="Save tag"
      onSubmit={save}
      listError={tags.error}
      listLoading={!tags.data && tags.fetching}
      list={
        <Table
          caption="Classification tags"
          columns={['Datasource', 'Table or column', 'Classification', 'Tagged', 'Actions']}
          rows={rows()}
          empty="No classification tag yet: tag the tables and columns that hold personal or sensitive data."
          row={(t) => (
            <tr>
              <td>{page.dir.name(t.datasourceId)}</td>
              <td><code>{place(t)}</code></td>
              <td><span class="badge">{t.classification}</span></td>
              <td><When at={t.createdAt} /></td>
              <td><RemoveButton onClick={() => remove(t.id)} what={`${t.classification} tag on ${place(t)}`} /></td>
            </tr>
          )}
        />
      }
    >
      <Field label="Table" name="tableName" problem={page.problem()} hint="As the database names it, e.g. customers or public.customers.">{(a) => <input {...a} required />}</Field>
      <Field label="Column (optional)" name="columnName" problem={page.problem()} hint="Leave empty to tag the whole table.">{(a) => <input {...a} />}</Field>
      <Field label="Classification" name="classification" problem={page.problem()}>
        {(a) => <select {...a}><For each={CLASSIFICATIONS}>{(c) => <option value={c}>{c}</option>}</For></select>}
      </Field>
    </PolicyPage>
  );
}
