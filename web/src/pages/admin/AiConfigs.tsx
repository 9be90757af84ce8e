/**
 * AI configurations: the model a datasource's AI review asks (provider, model, endpoint, limits, prompt). The
 * API key is write-only: the page says whether one is set and sends a new one only when typed.
 */
import { createQuery } from '@urql/solid';
import { For, Show, createSignal } from 'solid-js';
import { client } from '../../client.ts';
import { AiConfigsDocument, DeleteAiConfigDocument, TestAiConfigDocument, UpsertAiConfigDocument } from '../../graphql/ai.documents.ts';
import type { AiConfigFieldsFragment, AiProvider } from '../../graphql/generated.ts';
import { Table } from '../../table.tsx';
import { Field, Loading, outcome, PageHeader, ProblemBanner, QueryError, RowButton, type Problem, useBusy, When } from '../../ui.tsx';
import { CheckNote } from './check-note.tsx';

const PROVIDERS: AiProvider[] = ['ANTHROPIC', 'OPENAI', 'OPENAI_COMPATIBLE', 'OLLAMA', 'HUGGING_FACE'];

interface Draft {
  name: string;
  aiProvider: AiProvider;
  model: string;
  endpoint: string;
  apiKey: string;
  /** Whether the saved configuration already has a key (then an empty field keeps it). */
  keySet: boolean;
  timeoutMs: string;
  maxPromptTokens: string;
  maxCompletionTokens: string;
  systemPromptTemplate: string;
}
const EMPTY: Draft = { name: '', aiProvider: 'ANTHROPIC', model: '', endpoint: '', apiKey: '', keySet: false, timeoutMs: '', maxPromptTokens: '', maxCompletionTokens: '', systemPromptTemplate: '' };

export default function AiConfigs() {
  const [configs, refetch] = createQuery({ query: AiConfigsDocument });
  const [draft, setDraft] = createSignal<Draft>(EMPTY);
  const [checks, setChecks] = createSignal<Record<string, { ok: boolean; text: string }>>({});
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [notice, setNotice] = createSignal('');
  const [busy, run] = useBusy();
  const rows = () => configs.data?.aiConfigs.edges.map((e) => e.node) ?? [];
  const set = (field: keyof Draft) => (event: { currentTarget: { value: string } }) => setDraft({ ...draft(), [field]: event.currentTarget.value });
  const number = (text: string) => (text.trim() ? Number(text) : null);
  const reload = () => refetch({ requestPolicy: 'network-only' });

  const save = (event: SubmitEvent) => {
    event.preventDefault();
    const d = draft();
    void run(async () => {
      const done = outcome(
        await client
          .mutation(UpsertAiConfigDocument, {
            input: {
              name: d.name.trim(),
              aiProvider: d.aiProvider,
              model: d.model.trim(),
              endpoint: d.endpoint.trim() || null,
              // Write-only: sent only when typed, so saving other fields keeps the stored key.
              ...(d.apiKey ? { apiKey: d.apiKey } : {}),
              timeoutMs: number(d.timeoutMs),
              maxPromptTokens: number(d.maxPromptTokens),
              maxCompletionTokens: number(d.maxCompletionTokens),
              systemPromptTemplate: d.systemPromptTemplate.trim() || null,
            },
          })
          .toPromise(),
      );
      if (!done.ok) return setProblem(done.problem);
      setProblem(null);
      setNotice(`Saved ${done.value.name}.`);
      setDraft(EMPTY);
      reload();
    });
  };
  const edit = (c: AiConfigFieldsFragment) => {
    setDraft({
      name: c.name,
      aiProvider: c.aiProvider,
      model: c.model,
      endpoint: c.endpoint ?? '',
      apiKey: '',
      keySet: c.apiKeySet,
      timeoutMs: String(c.timeoutMs),
      maxPromptTokens: String(c.maxPromptTokens),
      maxCompletionTokens: String(c.maxCompletionTokens),
      systemPromptTemplate: c.systemPromptTemplate ?? '',
    });
    setProblem(null);
    document.getElementById('ai-form')?.querySelector('input')?.focus();
  };
  const test = (c: AiConfigFieldsFragment) =>
    run(async () => {
      const done = outcome(await client.mutation(TestAiConfigDocument, { id: c.id }).toPromise());
      const check = done.ok
        ? { ok: done.value.ok, text: `${done.value.ok ? 'Answered' : 'Failed'} in ${done.value.latencyMs} ms: ${done.value.message}` }
        : { ok: false, text: done.problem.message };
      setChecks({ ...checks(), [c.id]: check });
    });
  const remove = (c: AiConfigFieldsFragment) =>
    run(async () => {
      const done = outcome(await client.mutation(DeleteAiConfigDocument, { id: c.id }).toPromise());
      setNotice(done.ok ? `Deleted ${c.name}.` : done.problem.message);
      reload();
    });

  return (
    <section>
      <PageHeader title="AI configurations" />
      <p class="muted">A datasource that names one asks its model to review each statement before people do; when the model cannot answer, the request goes to human review.</p>
      <p class="muted" role="status" aria-live="polite">
        {notice()}
      </p>
      <QueryError error={configs.error} />
      <Show when={configs.data || !configs.fetching} fallback={<Loading />}>
        <Table
          caption="AI configurations"
          columns={['Name', 'Provider and model', 'Endpoint', 'API key', 'Updated', 'Actions']}
          rows={rows()}
          empty="No AI configuration yet: add one, then choose it on a datasource."
          row={(c) => (
            <tr>
              <td><strong>{c.name}</strong></td>
              <td>{c.aiProvider.replace(/_/g, ' ').toLowerCase()} · <code>{c.model}</code></td>
              <td>{c.endpoint ?? 'the provider’s public API'}</td>
              <td>{c.apiKeySet ? `set (version ${c.apiKeyVersion})` : 'not set'}</td>
              <td><When at={c.updatedAt} /></td>
              <td>
                <div class="actions">
                  <RowButton label="Test connection" subject={`of ${c.name}`} disabled={busy()} onClick={() => test(c)} />
                  <RowButton label="Edit" subject={c.name} onClick={() => edit(c)} />
                  <RowButton label="Delete" subject={c.name} danger disabled={busy()} onClick={() => remove(c)} />
                </div>
                <CheckNote check={checks()[c.id]} testId="ai-check" />
              </td>
            </tr>
          )}
        />
      </Show>

      <form id="ai-form" class="card grid-form" onSubmit={save} novalidate aria-label="Save an AI configuration">
        <h2>Save an AI configuration</h2>
        <ProblemBanner problem={problem()} />
        <Field label="Name" name="name" problem={problem()} hint="Saving under an existing name changes that configuration.">
          {(a) => <input {...a} value={draft().name} onInput={set('name')} required />}
        </Field>
        <Field label="Provider" name="aiProvider" problem={problem()}>
          {(a) => (
            <select {...a} value={draft().aiProvider} onChange={set('aiProvider')}>
              <For each={PROVIDERS}>{(p) => <option value={p} selected={draft().aiProvider === p}>{p.replace(/_/g, ' ').toLowerCase()}</option>}</For>
            </select>
          )}
        </Field>
        <Field label="Model" name="model" problem={problem()}>
          {(a) => <input {...a} value={draft().model} onInput={set('model')} required />}
        </Field>
        <Field label="Endpoint" name="endpoint" problem={problem()} hint="Base URL; empty for the provider's public API (required for OpenAI-compatible, Ollama, Hugging Face).">
          {(a) => <input {...a} value={draft().endpoint} onInput={set('endpoint')} />}
        </Field>
        <Field label="API key" name="apiKey" problem={problem()} hint={draft().keySet ? 'A key is set; leave empty to keep it, or type a new one to replace it.' : 'Not set. Required for Anthropic and OpenAI. Never shown again.'}>
          {(a) => <input {...a} type="password" autocomplete="off" value={draft().apiKey} onInput={set('apiKey')} />}
        </Field>
        <Field label="Timeout (ms)" name="timeoutMs" problem={problem()} hint="Default 30000.">
          {(a) => <input {...a} type="number" value={draft().timeoutMs} onInput={set('timeoutMs')} />}
        </Field>
        <Field label="Prompt token limit" name="maxPromptTokens" problem={problem()} hint="Default 8000; a longer prompt is not sent.">
          {(a) => <input {...a} type="number" value={draft().maxPromptTokens} onInput={set('maxPromptTokens')} />}
        </Field>
        <Field label="Completion token limit" name="maxCompletionTokens" problem={problem()} hint="Default 1024.">
          {(a) => <input {...a} type="number" value={draft().maxCompletionTokens} onInput={set('maxCompletionTokens')} />}
        </Field>
        <div class="wide">
          <Field label="System prompt (optional)" name="systemPromptTemplate" problem={problem()} hint="Must contain {{sql}}; may use {{schema_context}}, {{db_type}}, {{language}}. Empty for the built-in prompt.">
            {(a) => <textarea {...a} class="code" rows={3} value={draft().systemPromptTemplate} onInput={set('systemPromptTemplate')} />}
          </Field>
        </div>
        <div class="actions-row">
          <button type="submit" disabled={busy()}>
            Save AI configuration
          </button>
          <button type="button" class="secondary" onClick={() => (setDraft(EMPTY), setProblem(null))}>
            New configuration
          </button>
        </div>
      </form>
    </section>
  );
}
