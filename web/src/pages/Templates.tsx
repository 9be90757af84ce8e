/**
 * Query templates: saved SQL with :placeholders, private or shared with the team. Saving under an existing
 * name adds a version; every version is kept, can be compared with the current one and restored.
 */
import { useNavigate } from '@solidjs/router';
import { createQuery } from '@urql/solid';
import { For, Show, createSignal } from 'solid-js';
import { client } from '../client.ts';
import { VisibleDatasourcesDocument } from '../graphql/access.documents.ts';
import type { QueryTemplateVisibility, TemplateFieldsFragment } from '../graphql/generated.ts';
import {
  DeleteQueryTemplateDocument,
  RestoreQueryTemplateVersionDocument,
  SubmitQueryFromTemplateDocument,
  TemplateDiffDocument,
  TemplatesDocument,
  UpsertQueryTemplateDocument,
} from '../graphql/templates.documents.ts';
import { useMe } from '../me.ts';
import { Table } from '../table.tsx';
import { Field, Loading, outcome, PageHeader, ProblemBanner, QueryError, RowButton, type Problem, useBusy, When } from '../ui.tsx';

interface Draft {
  name: string;
  description: string;
  datasourceId: string;
  visibility: QueryTemplateVisibility;
  body: string;
}
const EMPTY: Draft = { name: '', description: '', datasourceId: '', visibility: 'PRIVATE', body: '' };

export default function Templates() {
  const me = useMe();
  const [templates, refetch] = createQuery({ query: TemplatesDocument });
  const [sources] = createQuery({ query: VisibleDatasourcesDocument });
  const [draft, setDraft] = createSignal<Draft>(EMPTY);
  const [openId, setOpenId] = createSignal<string | null>(null);
  const [diff, setDiff] = createSignal<{ version: number; text: string } | null>(null);
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [notice, setNotice] = createSignal('');
  const [busy, run] = useBusy();
  const rows = () => templates.data?.queryTemplates.edges.map((e) => e.node) ?? [];
  const open = () => rows().find((t) => t.id === openId());
  const datasourceName = (id: string | null) => (id ? (sources.data?.datasources.edges.find((e) => e.node.id === id)?.node.name ?? id.slice(0, 8)) : 'any');
  const set = (field: keyof Draft) => (event: { currentTarget: { value: string } }) => setDraft({ ...draft(), [field]: event.currentTarget.value });
  const reload = () => refetch({ requestPolicy: 'network-only' });

  const save = (event: SubmitEvent) => {
    event.preventDefault();
    const d = draft();
    void run(async () => {
      const done = outcome(
        await client
          .mutation(UpsertQueryTemplateDocument, {
            input: { name: d.name.trim(), description: d.description.trim() || null, datasourceId: d.datasourceId || null, visibility: d.visibility, body: d.body },
          })
          .toPromise(),
      );
      if (!done.ok) return setProblem(done.problem);
      setProblem(null);
      setNotice(`Saved ${done.value.name} as version ${done.value.currentVersion}.`);
      setDraft(EMPTY);
      setOpenId(done.value.id);
      reload();
    });
  };
  const edit = (t: TemplateFieldsFragment) => {
    setDraft({ name: t.name, description: t.description ?? '', datasourceId: t.datasourceId ?? '', visibility: t.visibility, body: t.versions[0]?.body ?? '' });
    setProblem(null);
    document.getElementById('template-form')?.querySelector('input')?.focus();
  };
  const restore = (templateId: string, version: number) =>
    run(async () => {
      const done = outcome(await client.mutation(RestoreQueryTemplateVersionDocument, { input: { templateId, version } }).toPromise());
      setNotice(done.ok ? `Version ${version} restored as version ${done.value.currentVersion}.` : done.problem.message);
      setDiff(null);
      reload();
    });
  const compare = (t: TemplateFieldsFragment, version: number) =>
    run(async () => {
      const result = await client.query(TemplateDiffDocument, { input: { templateId: t.id, fromVersion: version, toVersion: t.currentVersion } }, { requestPolicy: 'network-only' }).toPromise();
      const done = outcome(result);
      if (done.ok) setDiff({ version, text: done.value.unified });
      else setNotice(done.problem.message);
    });
  const remove = (t: TemplateFieldsFragment) =>
    run(async () => {
      const done = outcome(await client.mutation(DeleteQueryTemplateDocument, { id: t.id }).toPromise());
      setNotice(done.ok ? `Deleted ${t.name}.` : done.problem.message);
      if (openId() === t.id) setOpenId(null);
      reload();
    });

  return (
    <section>
      <PageHeader title="Query templates" />
      <p class="muted" role="status" aria-live="polite">
        {notice()}
      </p>
      <form id="template-form" class="card grid-form" onSubmit={save} novalidate aria-label="Save a template">
        <h2>Save a template</h2>
        <ProblemBanner problem={problem()} />
        <Field label="Name" name="name" problem={problem()} hint="Saving under a name you already use adds a version.">
          {(a) => <input {...a} value={draft().name} onInput={set('name')} required />}
        </Field>
        <Field label="Description" name="description" problem={problem()}>
          {(a) => <input {...a} value={draft().description} onInput={set('description')} />}
        </Field>
        <Field label="Datasource" name="datasourceId" problem={problem()}>
          {(a) => (
            <select {...a} value={draft().datasourceId} onChange={set('datasourceId')}>
              <option value="">Any (chosen when submitting)</option>
              <For each={sources.data?.datasources.edges ?? []}>{(e) => <option value={e.node.id} selected={draft().datasourceId === e.node.id}>{e.node.name}</option>}</For>
            </select>
          )}
        </Field>
        <Field label="Shared with" name="visibility" problem={problem()}>
          {(a) => (
            <select {...a} value={draft().visibility} onChange={set('visibility')}>
              <option value="PRIVATE" selected={draft().visibility === 'PRIVATE'}>only me</option>
              <option value="TEAM" selected={draft().visibility === 'TEAM'}>the team</option>
            </select>
          )}
        </Field>
        <div class="wide">
          <Field label="SQL" name="body" problem={problem()} hint="Placeholders look like :customer_id; they are filled when the template is submitted.">
            {(a) => <textarea {...a} class="code" rows={5} value={draft().body} onInput={set('body')} required />}
          </Field>
        </div>
        <div class="actions-row">
          <button type="submit" disabled={busy()}>
            Save template
          </button>
          <Show when={draft().name}>
            <button type="button" class="secondary" onClick={() => setDraft(EMPTY)}>
              Clear
            </button>
          </Show>
        </div>
      </form>
      <QueryError error={templates.error} />
      <Show when={templates.data || !templates.fetching} fallback={<Loading />}>
        <Table
          caption="Query templates"
          columns={['Name', 'Shared with', 'Datasource', 'Version', 'Placeholders', 'Updated', 'Actions']}
          rows={rows()}
          empty="No template yet: save a statement you run often, with :placeholders for what changes."
          row={(t) => (
            <tr>
              <td>
                <strong>{t.name}</strong>
                <Show when={t.description}>
                  <small class="muted"> {t.description}</small>
                </Show>
              </td>
              <td>{t.visibility === 'TEAM' ? 'the team' : 'only the owner'}</td>
              <td>{datasourceName(t.datasourceId)}</td>
              <td>v{t.currentVersion}</td>
              <td>{t.versions[0]?.placeholders.map((p) => `:${p}`).join(', ') || '—'}</td>
              <td><When at={t.updatedAt} /></td>
              <td>
                <div class="actions">
                  <RowButton label="Versions" subject={`of ${t.name}`} onClick={() => setOpenId(openId() === t.id ? null : t.id)} aria-expanded={openId() === t.id} />
                  <Show when={t.ownerId === me()?.id}>
                    <RowButton label="Edit" subject={t.name} onClick={() => edit(t)} />
                    <RowButton label="Delete" subject={t.name} danger disabled={busy()} onClick={() => remove(t)} />
                  </Show>
                </div>
              </td>
            </tr>
          )}
        />
      </Show>
      <Show when={open()}>
        {(t) => (
          <section class="card" aria-label={`Versions of ${t().name}`}>
            <h2>Versions of {t().name}</h2>
            <ol class="versions" reversed>
              <For each={t().versions}>
                {(v) => (
                  <li>
                    <p>
                      <strong>v{v.version}</strong> <When at={v.createdAt} />
                      <Show when={v.restoredFrom}>{(from) => <span class="muted"> (restored from v{from()})</span>}</Show>
                      <Show
                        when={v.version === t().currentVersion}
                        fallback={
                          <>
                            {' '}
                            <button type="button" class="link" disabled={busy()} onClick={() => compare(t(), v.version)}>
                              Compare with current<span class="sr-only"> (v{v.version})</span>
                            </button>
                            <Show when={t().ownerId === me()?.id}>
                              <button type="button" class="link" disabled={busy()} onClick={() => restore(t().id, v.version)}>
                                Restore v{v.version}
                              </button>
                            </Show>
                          </>
                        }
                      >
                        {' '}
                        <span class="badge">current</span>
                      </Show>
                    </p>
                    <pre class="sql">{v.body}</pre>
                  </li>
                )}
              </For>
            </ol>
            <SubmitFromTemplate template={t()} datasources={sources.data?.datasources.edges.map((e) => e.node) ?? []} />
            <Show when={diff()}>
              {(d) => (
                <figure class="diff">
                  <figcaption>
                    Changes from v{d().version} to v{t().currentVersion}
                  </figcaption>
                  <pre data-testid="template-diff">{d().text}</pre>
                </figure>
              )}
            </Show>
          </section>
        )}
      </Show>
    </section>
  );
}

/**
 * Submits the current version with a value per placeholder: a number when it reads as one, text otherwise
 * (the server binds each as a literal and reviews the result like any submission).
 */
function SubmitFromTemplate(props: { template: TemplateFieldsFragment; datasources: { id: string; name: string }[] }) {
  const navigate = useNavigate();
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [busy, run] = useBusy();
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(f.get(name) ?? '').trim();
    const parameters = Object.fromEntries(
      (props.template.versions[0]?.placeholders ?? []).map((name) => {
        const value = text(`param:${name}`);
        return [name, /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value];
      }),
    );
    void run(async () => {
      const done = outcome(
        await client
          .mutation(SubmitQueryFromTemplateDocument, {
            input: {
              templateId: props.template.id,
              datasourceId: text('datasourceId') || null,
              parameters,
              justification: text('justification') || null,
              clientRequestId: crypto.randomUUID(),
            },
          })
          .toPromise(),
      );
      if (!done.ok) return setProblem(done.problem);
      navigate(`/queries/${done.value.id}`);
    });
  };
  return (
    <form class="grid-form" onSubmit={submit} novalidate aria-label={`Submit ${props.template.name}`}>
      <h3 class="wide">Submit v{props.template.currentVersion}</h3>
      <ProblemBanner problem={problem()} />
      <Show when={!props.template.datasourceId}>
        <Field label="Datasource" name="datasourceId" problem={problem()}>
          {(a) => (
            <select {...a} required>
              <option value="">Choose…</option>
              <For each={props.datasources}>{(d) => <option value={d.id}>{d.name}</option>}</For>
            </select>
          )}
        </Field>
      </Show>
      <For each={props.template.versions[0]?.placeholders ?? []}>
        {(name) => <Field label={`:${name}`} name={`param:${name}`} problem={problem()}>{(a) => <input {...a} required />}</Field>}
      </For>
      <Field label="Justification" name="justification" problem={problem()}>
        {(a) => <input {...a} />}
      </Field>
      <div class="actions-row">
        <button type="submit" disabled={busy()}>
          Submit for review
        </button>
      </div>
    </form>
  );
}
