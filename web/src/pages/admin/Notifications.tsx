/**
 * Notification channels: where AccessFlow announces requests and decisions (e-mail, Slack, Discord, Teams,
 * webhooks, Telegram, PagerDuty). Secret settings (webhook URLs with tokens, passwords, keys) are write-only:
 * the page says whether each is set and keeps the stored ones unless a new value is typed.
 */
import { createQuery } from '@urql/solid';
import { For, Show, createSignal } from 'solid-js';
import { client } from '../../client.ts';
import type { NotificationChannelFieldsFragment, NotificationChannelType } from '../../graphql/generated.ts';
import { DeleteNotificationChannelDocument, NotificationChannelsDocument, TestNotificationChannelDocument, UpsertNotificationChannelDocument } from '../../graphql/notifications.documents.ts';
import { Table } from '../../table.tsx';
import { Field, Loading, outcome, PageHeader, ProblemBanner, QueryError, RowButton, type Problem, useBusy, When } from '../../ui.tsx';
import { CheckNote } from './check-note.tsx';

interface Setting {
  key: string;
  label: string;
  secret?: boolean;
  optional?: boolean;
}
const webhook: Setting[] = [{ key: 'webhook_url', label: 'Webhook URL', secret: true }];
/** Each type's settings, as the API's UpsertNotificationChannelInput.config describes them. */
const SETTINGS: Record<NotificationChannelType, Setting[]> = {
  SLACK: webhook,
  DISCORD: webhook,
  MS_TEAMS: webhook,
  EMAIL: [
    { key: 'to', label: 'To (comma-separated)' },
    { key: 'from', label: 'From', optional: true },
    { key: 'smtp_host', label: 'SMTP host', optional: true },
    { key: 'smtp_port', label: 'SMTP port', optional: true },
    { key: 'smtp_user', label: 'SMTP user', optional: true },
    { key: 'smtp_password', label: 'SMTP password', secret: true, optional: true },
  ],
  WEBHOOK: [
    { key: 'url', label: 'URL' },
    { key: 'secret', label: 'Signing secret', secret: true },
  ],
  TELEGRAM: [
    { key: 'bot_token', label: 'Bot token', secret: true },
    { key: 'chat_id', label: 'Chat id' },
    { key: 'api_url', label: 'Bot API server', optional: true },
  ],
  PAGERDUTY: [
    { key: 'routing_key', label: 'Routing key', secret: true },
    { key: 'api_url', label: 'Events API host', optional: true },
  ],
};
const TYPES = Object.keys(SETTINGS) as NotificationChannelType[];
const typeLabel = (type: string) => type.replace(/_/g, ' ').toLowerCase();

interface Draft {
  name: string;
  channelType: NotificationChannelType;
  values: Record<string, string>;
  /** Secret keys the saved channel has (an empty field keeps them). */
  storedSecrets: string[];
  active: boolean;
  allEvents: boolean;
}
const EMPTY: Draft = { name: '', channelType: 'SLACK', values: {}, storedSecrets: [], active: true, allEvents: false };

export default function Notifications() {
  const [channels, refetch] = createQuery({ query: NotificationChannelsDocument });
  const [draft, setDraft] = createSignal<Draft>(EMPTY);
  const [checks, setChecks] = createSignal<Record<string, { ok: boolean; text: string }>>({});
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [notice, setNotice] = createSignal('');
  const [busy, run] = useBusy();
  const rows = () => channels.data?.notificationChannels.edges.map((e) => e.node) ?? [];
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const settingsOf = (c: NotificationChannelFieldsFragment) => (c.config ?? {}) as Record<string, string>;

  const save = (event: SubmitEvent) => {
    event.preventDefault();
    const d = draft();
    const config: Record<string, string> = {};
    const secrets: Record<string, string> = {};
    for (const setting of SETTINGS[d.channelType]) {
      const value = (d.values[setting.key] ?? '').trim();
      if (setting.secret) {
        if (value) secrets[setting.key] = value;
      } else if (value || !setting.optional) config[setting.key] = value;
    }
    // Secrets are write-only: sent only when typed; leaving them out keeps the stored ones.
    const typedSecrets = Object.keys(secrets).length > 0 ? { secrets } : {};
    void run(async () => {
      const done = outcome(
        await client
          .mutation(UpsertNotificationChannelDocument, { input: { name: d.name.trim(), channelType: d.channelType, config, ...typedSecrets, active: d.active, allEvents: d.allEvents } })
          .toPromise(),
      );
      if (!done.ok) return setProblem(done.problem);
      setProblem(null);
      setNotice(`Saved ${done.value.name}.`);
      setDraft(EMPTY);
      reload();
    });
  };
  const edit = (c: NotificationChannelFieldsFragment) => {
    setDraft({ name: c.name, channelType: c.channelType, values: { ...settingsOf(c) }, storedSecrets: [...c.secretKeys], active: c.active, allEvents: c.allEvents });
    setProblem(null);
    document.getElementById('channel-form')?.querySelector('input')?.focus();
  };
  const test = (c: NotificationChannelFieldsFragment) =>
    run(async () => {
      const done = outcome(await client.mutation(TestNotificationChannelDocument, { id: c.id }).toPromise());
      setChecks({ ...checks(), [c.id]: done.ok ? { ok: done.value.ok, text: done.value.ok ? `Test message ${done.value.message}.` : `Not delivered: ${done.value.message}` } : { ok: false, text: done.problem.message } });
    });
  const remove = (c: NotificationChannelFieldsFragment) =>
    run(async () => {
      const done = outcome(await client.mutation(DeleteNotificationChannelDocument, { id: c.id }).toPromise());
      setNotice(done.ok ? `Deleted ${c.name}.` : done.problem.message);
      reload();
    });
  /** Non-secret settings as text, each secret as "set" or "not set". */
  const describe = (c: NotificationChannelFieldsFragment) => {
    const settings = settingsOf(c);
    return (SETTINGS[c.channelType] ?? [])
      .filter((s) => s.secret || settings[s.key])
      .map((s) => `${s.label}: ${s.secret ? (c.secretKeys.includes(s.key) ? 'set' : 'not set') : settings[s.key]}`)
      .join(' · ');
  };

  return (
    <section>
      <PageHeader title="Notification channels" />
      <p class="muted">Review plans name the channels that hear of their requests; a channel for all events hears of everything in the organization.</p>
      <p class="muted" role="status" aria-live="polite">
        {notice()}
      </p>
      <QueryError error={channels.error} />
      <Show when={channels.data || !channels.fetching} fallback={<Loading />}>
        <Table
          caption="Notification channels"
          columns={['Name', 'Type', 'Settings', 'Hears', 'Updated', 'Actions']}
          rows={rows()}
          empty="No notification channel yet: add one, then name it on a review plan."
          row={(c) => (
            <tr>
              <td>
                <strong>{c.name}</strong> {c.active ? '' : <span class="badge">inactive</span>}
              </td>
              <td>{typeLabel(c.channelType)}</td>
              <td>{describe(c)}</td>
              <td>{c.allEvents ? 'every event' : 'its review plans'}</td>
              <td><When at={c.updatedAt} /></td>
              <td>
                <div class="actions">
                  <RowButton label="Send a test" subject={`to ${c.name}`} disabled={busy()} onClick={() => test(c)} />
                  <RowButton label="Edit" subject={c.name} onClick={() => edit(c)} />
                  <RowButton label="Delete" subject={c.name} danger disabled={busy()} onClick={() => remove(c)} />
                </div>
                <CheckNote check={checks()[c.id]} testId="channel-check" />
              </td>
            </tr>
          )}
        />
      </Show>

      <form id="channel-form" class="card grid-form" onSubmit={save} novalidate aria-label="Save a notification channel">
        <h2>Save a notification channel</h2>
        <ProblemBanner problem={problem()} />
        <Field label="Name" name="name" problem={problem()} hint="Saving under an existing name changes that channel.">
          {(a) => <input {...a} value={draft().name} onInput={(e) => setDraft({ ...draft(), name: e.currentTarget.value })} required />}
        </Field>
        <Field label="Type" name="channelType" problem={problem()}>
          {(a) => (
            <select {...a} value={draft().channelType} onChange={(e) => setDraft({ ...draft(), channelType: e.currentTarget.value as NotificationChannelType, values: {}, storedSecrets: [] })}>
              <For each={TYPES}>{(type) => <option value={type} selected={draft().channelType === type}>{typeLabel(type)}</option>}</For>
            </select>
          )}
        </Field>
        <For each={SETTINGS[draft().channelType]}>
          {(setting) => (
            <Field
              label={setting.label}
              name={setting.key}
              problem={problem()}
              hint={setting.secret ? (draft().storedSecrets.includes(setting.key) ? 'Set; leave empty to keep it.' : 'Not set. Never shown again once saved.') : setting.optional ? 'Optional.' : undefined}
            >
              {(a) => (
                <input
                  {...a}
                  type={setting.secret ? 'password' : 'text'}
                  autocomplete="off"
                  value={draft().values[setting.key] ?? ''}
                  onInput={(e) => setDraft({ ...draft(), values: { ...draft().values, [setting.key]: e.currentTarget.value } })}
                />
              )}
            </Field>
          )}
        </For>
        <label class="check">
          <input type="checkbox" checked={draft().active} onChange={(e) => setDraft({ ...draft(), active: e.currentTarget.checked })} /> Active
        </label>
        <label class="check">
          <input type="checkbox" checked={draft().allEvents} onChange={(e) => setDraft({ ...draft(), allEvents: e.currentTarget.checked })} /> Every event of the organization
        </label>
        <div class="actions-row">
          <button type="submit" disabled={busy()}>
            Save channel
          </button>
          <button type="button" class="secondary" onClick={() => (setDraft(EMPTY), setProblem(null))}>
            New channel
          </button>
        </div>
      </form>
    </section>
  );
}
