/** Grants: who may read, write, run DDL or break glass on each datasource, with table and column limits. */
import { useSearchParams } from '@solidjs/router';
import { createQuery } from '@urql/solid';
import { For, Show, createSignal } from 'solid-js';
import { client } from '../../client.ts';
import { AdminGrantsDocument, DeleteGrantDocument, UpsertGrantDocument } from '../../graphql/admin.documents.ts';
import { Table } from '../../table.tsx';
import { Field, Loading, PageHeader, ProblemBanner, QueryError, When, list, outcome, useBusy, type Problem } from '../../ui.tsx';
import { DatasourcePicker, useDirectory } from './directory.tsx';

export default function Grants() {
  const [params, setParams] = useSearchParams<{ datasource?: string }>();
  const dir = useDirectory();
  const [grants, refetch] = createQuery({ query: AdminGrantsDocument, variables: () => ({ datasourceId: params.datasource ?? null }) });
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [notice, setNotice] = createSignal('');
  const [busy, run] = useBusy();
  const rows = () => grants.data?.grants.edges.map((e) => e.node) ?? [];
  const save = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const text = (name: string) => String(f.get(name) ?? '').trim();
    const [kind, id] = text('subject').split(':');
    void run(async () => {
      const done = outcome(
        await client
          .mutation(UpsertGrantDocument, {
            input: {
              datasourceId: text('datasourceId'),
              userId: kind === 'user' ? id : null,
              groupId: kind === 'group' ? id : null,
              canRead: f.get('canRead') === 'on',
              canWrite: f.get('canWrite') === 'on',
              canDdl: f.get('canDdl') === 'on',
              canBreakGlass: f.get('canBreakGlass') === 'on',
              allowedTables: text('allowedTables') ? list(text('allowedTables')) : null,
              restrictedColumns: list(text('restrictedColumns')),
              maxRows: text('maxRows') ? Number(text('maxRows')) : null,
              expiresAt: text('expiresAt') ? new Date(text('expiresAt')).toISOString() : null,
            },
          })
          .toPromise(),
      );
      if (!done.ok) return setProblem(done.problem);
      setProblem(null);
      setNotice('Grant saved.');
      form.reset();
      refetch({ requestPolicy: 'network-only' });
    });
  };
  const remove = (id: string) =>
    run(async () => {
      const done = outcome(await client.mutation(DeleteGrantDocument, { id }).toPromise());
      setNotice(done.ok ? 'Grant removed.' : done.problem.message);
      refetch({ requestPolicy: 'network-only' });
    });
  return (
    <section>
      <PageHeader title="Grants">
        <DatasourcePicker value={params.datasource} onChange={(id) => setParams({ datasource: id })} datasources={dir.datasources()} label="Show" name="show" />
      </PageHeader>
      <p class="muted" role="status" aria-live="polite">{notice()}</p>
      <form class="card grid-form" onSubmit={save} novalidate aria-label="Grant access">
        <h2>Grant access</h2>
        <ProblemBanner problem={problem()} />
        <DatasourcePicker value={params.datasource} onChange={() => {}} datasources={dir.datasources()} required />
        <Field label="User or group" name="userId" problem={problem()}>
          {(a) => (
            <select {...a} name="subject" required>
              <option value="">Choose…</option>
              <optgroup label="Users">
                <For each={dir.users()}>{(u) => <option value={`user:${u.id}`}>{`${u.displayName} (${u.role.toLowerCase()})`}</option>}</For>
              </optgroup>
              <optgroup label="Groups">
                <For each={dir.groups()}>{(g) => <option value={`group:${g.id}`}>{g.name}</option>}</For>
              </optgroup>
            </select>
          )}
        </Field>
        <fieldset>
          <legend>May</legend>
          <label class="check"><input type="checkbox" name="canRead" checked /> read</label>
          <label class="check"><input type="checkbox" name="canWrite" /> write</label>
          <label class="check"><input type="checkbox" name="canDdl" /> change schema (DDL)</label>
          <label class="check"><input type="checkbox" name="canBreakGlass" /> break glass</label>
        </fieldset>
        <Field label="Allowed tables" name="allowedTables" problem={problem()} hint='Comma-separated table or schema.table; empty = every table. Compared exactly: on PostgreSQL quote a mixed-case name ("Orders"); on MySQL write names as the database has them.'>{(a) => <input {...a} />}</Field>
        <Field label="Restricted columns" name="restrictedColumns" problem={problem()} hint="Comma-separated table.column.">{(a) => <input {...a} />}</Field>
        <Field label="Row cap" name="maxRows" problem={problem()}>{(a) => <input {...a} type="number" min="1" />}</Field>
        <Field label="Expires" name="expiresAt" problem={problem()}>{(a) => <input {...a} type="datetime-local" />}</Field>
        <div class="actions-row"><button type="submit" disabled={busy()}>Save grant</button></div>
      </form>
      <QueryError error={grants.error ?? dir.directory.error} />
      <Show when={grants.data || !grants.fetching} fallback={<Loading />}>
        <Table
          caption="Grants"
          columns={['Datasource', 'Subject', 'May', 'Tables', 'Row cap', 'Expires', 'Actions']}
          rows={rows()}
          empty="No grant yet: nobody but admins can query these datasources."
          row={(g) => (
            <tr>
              <td>{dir.name(g.datasourceId)}</td>
              <td>{g.userId ? dir.name(g.userId) : `group ${dir.name(g.groupId)}`}</td>
              <td>{[g.canRead && 'read', g.canWrite && 'write', g.canDdl && 'DDL', g.canBreakGlass && 'break glass'].filter(Boolean).join(', ')}</td>
              <td>{g.allowedTables?.join(', ') ?? 'all'}</td>
              <td>{g.maxRows ?? '—'}</td>
              <td><When at={g.expiresAt} /></td>
              <td><button type="button" class="link danger" onClick={() => remove(g.id)}>Remove<span class="sr-only"> grant</span></button></td>
            </tr>
          )}
        />
      </Show>
    </section>
  );
}
