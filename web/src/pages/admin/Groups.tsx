/** User groups: a name, a description and members; used by review stages, grants and policies. */
import { For, Show, createSignal } from 'solid-js';
import { client } from '../../client.ts';
import { DeleteUserGroupDocument, UpsertUserGroupDocument } from '../../graphql/admin.documents.ts';
import { Table } from '../../table.tsx';
import { Field, Loading, outcome, PageHeader, ProblemBanner, QueryError, RowButton, type Problem, useBusy } from '../../ui.tsx';
import { MultiPick, useDirectory } from './directory.tsx';

export default function Groups() {
  const dir = useDirectory();
  const [editing, setEditing] = createSignal<{ name: string; description: string; memberIds: string[] } | null>(null);
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [notice, setNotice] = createSignal('');
  const [busy, run] = useBusy();
  const save = (event: SubmitEvent) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget as HTMLFormElement);
    void run(async () => {
      const done = outcome(
        await client
          .mutation(UpsertUserGroupDocument, {
            input: { name: String(f.get('name') ?? '').trim(), description: String(f.get('description') ?? '') || null, memberIds: f.getAll('memberIds').map(String) },
          })
          .toPromise(),
      );
      if (!done.ok) return setProblem(done.problem);
      setNotice('Group saved.');
      setEditing(null);
      dir.refetch({ requestPolicy: 'network-only' });
    });
  };
  const remove = (id: string, name: string) =>
    confirm(`Delete group ${name}?`) &&
    run(async () => {
      const done = outcome(await client.mutation(DeleteUserGroupDocument, { id }).toPromise());
      setNotice(done.ok ? `Deleted ${name}.` : done.problem.message);
      dir.refetch({ requestPolicy: 'network-only' });
    });
  return (
    <section>
      <PageHeader title="Groups">
        <button type="button" onClick={() => (setProblem(null), setEditing({ name: '', description: '', memberIds: [] }))}>New group</button>
      </PageHeader>
      <p class="muted" role="status" aria-live="polite">{notice()}</p>
      <Show when={editing()}>
        {(g) => (
          <form class="card grid-form" onSubmit={save} novalidate aria-label="Group">
            <h2>{g().name ? `Edit ${g().name}` : 'New group'}</h2>
            <ProblemBanner problem={problem()} />
            <Field label="Name" name="name" problem={problem()}>{(a) => <input {...a} required value={g().name} readOnly={!!g().name} />}</Field>
            <Field label="Description" name="description" problem={problem()}>{(a) => <input {...a} value={g().description} />}</Field>
            <MultiPick label="Members" name="memberIds" options={dir.users().map((u) => ({ id: u.id, label: `${u.displayName} <${u.email}>` }))} selected={g().memberIds} />
            <div class="actions-row">
              <button type="submit" disabled={busy()}>Save</button>
              <button type="button" class="secondary" onClick={() => setEditing(null)}>Cancel</button>
            </div>
          </form>
        )}
      </Show>
      <QueryError error={dir.directory.error} />
      <Show when={dir.directory.data || !dir.directory.fetching} fallback={<Loading />}>
        <Table
          caption="Groups"
          columns={['Name', 'Description', 'Members', 'Actions']}
          rows={dir.groups()}
          empty="No group yet."
          row={(g) => (
            <tr>
              <td>{g.name}</td>
              <td>{g.description}</td>
              <td>
                <For each={g.memberIds} fallback={<span class="muted">none</span>}>{(id, i) => <>{i() > 0 ? ', ' : ''}{dir.name(id)}</>}</For>
              </td>
              <td class="actions-row">
                <RowButton label="Edit" subject={g.name} onClick={() => (setProblem(null), setEditing({ name: g.name, description: g.description ?? '', memberIds: g.memberIds }))} />
                <RowButton label="Delete" subject={g.name} danger onClick={() => remove(g.id, g.name)} />
              </td>
            </tr>
          )}
        />
      </Show>
    </section>
  );
}
