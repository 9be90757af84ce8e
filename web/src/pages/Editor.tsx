/**
 * Write a query: datasource, schema browser, SQL with completion of the tables and columns you may see,
 * a live risk preview from the server (analyzeSql: the same classifier, grants and risk rules as a
 * submission, without submitting), justification and an optional schedule.
 */
import { useNavigate, useSearchParams } from '@solidjs/router';
import { createQuery } from '@urql/solid';
import { For, Show, createEffect, createMemo, createSignal, createUniqueId, on, onCleanup } from 'solid-js';
import { client } from '../client.ts';
import { AnalyzeSqlDocument, EditorDatasourcesDocument, EditorSchemaDocument, SubmitQueryDocument } from '../graphql/editor.documents.ts';
import type { AnalyzeSqlQuery } from '../graphql/generated.ts';
import { clearDraft, readDraft, saveDraft } from '../drafts.ts';
import { SqlEditor } from '../sql-editor.tsx';
import { Empty, Field, Loading, PageHeader, ProblemBanner, QueryError, RiskBadge, issueFor, outcome, useBusy, type Problem } from '../ui.tsx';

const ANALYZE_DELAY_MS = 400;
type Statement = Extract<AnalyzeSqlQuery['analyzeSql'], { data: unknown }>['data']['statements'][number];

export default function Editor() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams<{ datasource?: string }>();
  const [sources] = createQuery({ query: EditorDatasourcesDocument });
  const [sql, setSql] = createSignal(readDraft());
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [busy, run] = useBusy();
  const list = () => sources.data?.datasources.edges.map((e) => e.node) ?? [];
  const selectedId = () => params.datasource ?? list()[0]?.id;
  const selected = () => list().find((d) => d.id === selectedId());
  const [schema] = createQuery({ query: EditorSchemaDocument, variables: () => ({ datasourceId: selectedId() ?? '' }), pause: () => !selectedId() });
  // Completion: every table you may see, by bare and qualified name, with its columns.
  const completion = createMemo(() => {
    const tables: Record<string, string[]> = {};
    for (const s of schema.data?.datasourceSchema?.schemas ?? []) {
      for (const t of s.tables) {
        const columns = t.columns.map((c) => c.name);
        tables[t.name] = columns;
        tables[`${s.name}.${t.name}`] = columns;
      }
    }
    return tables;
  });
  const [filter, setFilter] = createSignal('');
  const [analysis, setAnalysis] = createSignal<{ statements: Statement[] } | { problem: Problem } | null>(null);
  const [analyzing, setAnalyzing] = createSignal(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  createEffect(
    on([sql, selectedId], ([text, datasourceId]) => {
      clearTimeout(timer);
      if (!text.trim() || !datasourceId) return setAnalysis(null);
      timer = setTimeout(async () => {
        setAnalyzing(true);
        const result = await client.query(AnalyzeSqlDocument, { input: { datasourceId, sql: text } }, { requestPolicy: 'network-only' }).toPromise();
        setAnalyzing(false);
        // A newer text is on its way: drop this answer.
        if (text !== sql()) return;
        const done = outcome(result);
        setAnalysis(done.ok ? { statements: done.value.statements } : { problem: done.problem });
      }, ANALYZE_DELAY_MS);
    }),
  );
  const editorId = createUniqueId();
  const sqlError = () => issueFor(problem(), 'query');

  const submit = (form?: HTMLFormElement) => {
    const data = new FormData(form ?? (document.getElementById('editor-form') as HTMLFormElement));
    const datasourceId = selectedId();
    if (!datasourceId || !sql().trim()) return;
    const scheduled = String(data.get('scheduledFor') ?? '');
    void run(async () => {
      const result = await client
        .mutation(SubmitQueryDocument, {
          input: {
            datasourceId,
            query: sql(),
            justification: String(data.get('justification') ?? '') || null,
            scheduledFor: scheduled ? new Date(scheduled).toISOString() : null,
            clientRequestId: crypto.randomUUID(),
          },
        })
        .toPromise();
      const done = outcome(result);
      if (!done.ok) return setProblem(done.problem);
      clearDraft();
      navigate(`/queries/${done.value.id}`);
    });
  };

  return (
    <section>
      <PageHeader title="SQL editor" />
      <QueryError error={sources.error} />
      <Show when={!sources.fetching || sources.data} fallback={<Loading />}>
        <Show when={list().length > 0} fallback={<Empty>No datasource is available to you yet. Ask an admin for a grant.</Empty>}>
          <div class="editor-layout">
            <aside class="schema-browser" aria-label="Schema">
              <h2>Schema</h2>
              <label class="field">
                <span>Filter tables and columns</span>
                <input type="search" value={filter()} onInput={(e) => setFilter(e.currentTarget.value)} />
              </label>
              <QueryError error={schema.error} />
              <Show when={schema.data} fallback={<Loading label="Reading the schema…" />}>
                <SchemaTree schemas={schema.data?.datasourceSchema?.schemas ?? []} filter={filter()} onPick={(name) => setSql(sql() ? `${sql()} ${name}` : name)} />
              </Show>
            </aside>
            <form
              id="editor-form"
              class="editor"
              novalidate
              onSubmit={(event) => {
                event.preventDefault();
                submit(event.currentTarget);
              }}
            >
              <ProblemBanner problem={problem()} />
              <Field label="Datasource" name="datasourceId" problem={problem()}>
                {(a) => (
                  <select {...a} value={selectedId()} onChange={(e) => setParams({ datasource: e.currentTarget.value })}>
                    <For each={list()}>{(d) => <option value={d.id} selected={selectedId() === d.id}>{`${d.name} (${d.dbType.toLowerCase()} · ${d.databaseName})`}</option>}</For>
                  </select>
                )}
              </Field>
              <div class="field">
                <label for={editorId} onClick={() => document.getElementById(editorId)?.focus()}>
                  SQL
                </label>
                <SqlEditor
                  id={editorId}
                  value={sql()}
                  onChange={(value) => {
                    setSql(value);
                    saveDraft(value);
                  }}
                  schema={completion()}
                  dialect={selected()?.dbType}
                  onSubmit={() => submit()}
                  describedBy={`${editorId}-note`}
                />
                <small id={`${editorId}-note`} classList={{ 'field-error': !!sqlError() }}>
                  {sqlError() ?? 'Ctrl+Enter submits. Ctrl+Space completes. Escape, then Tab, leaves the editor.'}
                </small>
              </div>
              <RiskPreview analysis={analysis()} analyzing={analyzing()} />
              <Field label="Justification" name="justification" problem={problem()} hint="Why you need this; reviewers read it.">
                {(a) => <textarea {...a} rows={2} />}
              </Field>
              <Field label="Scheduled execution (optional)" name="scheduledFor" problem={problem()} hint="Leave empty to run as soon as it is approved.">
                {(a) => <input {...a} type="datetime-local" />}
              </Field>
              <button type="submit" disabled={busy() || !sql().trim()}>
                {busy() ? 'Submitting…' : 'Submit for review'}
              </button>
            </form>
          </div>
        </Show>
      </Show>
    </section>
  );
}

function RiskPreview(props: { analysis: { statements: Statement[] } | { problem: Problem } | null; analyzing: boolean }) {
  return (
    <div class="preview" aria-live="polite" aria-busy={props.analyzing}>
      <h2 class="sr-only">Risk preview</h2>
      <Show when={props.analysis} fallback={<span class="muted">{props.analyzing ? 'Analysing…' : 'Risk preview appears as you type.'}</span>}>
        {(a) => {
          const value = a();
          if ('problem' in value) return <span class="field-error">{value.problem.message}</span>;
          return (
            <ul class="statements">
              <For each={value.statements}>
                {(s) => (
                  <li>
                    <span>
                      Preview{value.statements.length > 1 ? ` (line ${s.startLine})` : ''}: <strong>{s.queryType ?? '?'}</strong> <RiskBadge level={s.riskLevel} score={s.riskScore} />
                    </span>
                    <Show when={s.rejected}>
                      <span class="field-error"> Refused: {s.message ?? s.rejectionReason}</span>
                    </Show>
                    <Show when={!s.rejected && !s.allowed}>
                      <span class="field-error"> Not allowed: {s.deniedReason}</span>
                    </Show>
                    <ul>
                      <For each={s.riskIssues}>{(issue) => <li>{issue.message}</li>}</For>
                    </ul>
                  </li>
                )}
              </For>
            </ul>
          );
        }}
      </Show>
    </div>
  );
}

type Schemas = NonNullable<import('../graphql/generated.ts').EditorSchemaQuery['datasourceSchema']>['schemas'];

function SchemaTree(props: { schemas: Schemas; filter: string; onPick: (name: string) => void }) {
  const matches = (text: string) => text.toLowerCase().includes(props.filter.toLowerCase());
  const tables = () =>
    props.schemas.flatMap((s) =>
      s.tables
        .map((t) => ({ schema: s.name, table: t, columns: props.filter && !matches(t.name) ? t.columns.filter((c) => matches(c.name)) : t.columns }))
        .filter((t) => !props.filter || matches(t.table.name) || t.columns.length > 0),
    );
  return (
    <Show when={tables().length > 0} fallback={<p class="muted">{props.filter ? 'Nothing matches.' : 'No table you may read.'}</p>}>
      <ul class="tree">
        <For each={tables()}>
          {(t) => (
            <li>
              <details open={!!props.filter}>
                <summary>
                  {t.schema}.{t.table.name}
                </summary>
                <ul>
                  <For each={t.columns}>
                    {(c) => (
                      <li>
                        <button type="button" class="link" onClick={() => props.onPick(c.name)} title={`Insert ${c.name}`}>
                          {c.name}
                        </button>{' '}
                        <span class="muted">{c.type}</span>
                        <Show when={c.restricted || c.masking}>
                          {' '}
                          <span class="badge">{c.restricted ? 'restricted' : `masked: ${c.masking!.toLowerCase()}`}</span>
                        </Show>
                      </li>
                    )}
                  </For>
                </ul>
              </details>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
