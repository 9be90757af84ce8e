/** People and service accounts, and API keys (the secret is shown once, right after creation). */
import { createQuery } from '@urql/solid';
import { For, Show, createSignal } from 'solid-js';
import { client } from '../../client.ts';
import { ApiKeysDocument, CreateApiKeyDocument, CreateServiceAccountDocument, CreateUserDocument, DeactivateUserDocument, RevokeApiKeyDocument } from '../../graphql/admin.documents.ts';
import type { Role } from '../../graphql/generated.ts';
import { Table } from '../../table.tsx';
import { Field, Loading, outcome, PageHeader, ProblemBanner, QueryError, RowButton, type Problem, useBusy, When } from '../../ui.tsx';
import { useDirectory } from './directory.tsx';

const ROLES: Role[] = ['ANALYST', 'REVIEWER', 'ADMIN', 'AUDITOR', 'READONLY'];

export default function Users() {
  const dir = useDirectory();
  const [keys, refetchKeys] = createQuery({ query: ApiKeysDocument });
  const [userProblem, setUserProblem] = createSignal<Problem | null>(null);
  const [accountProblem, setAccountProblem] = createSignal<Problem | null>(null);
  const [keyProblem, setKeyProblem] = createSignal<Problem | null>(null);
  const [secret, setSecret] = createSignal<string | null>(null);
  const [notice, setNotice] = createSignal('');
  const [busy, run] = useBusy();
  const refresh = () => (dir.refetch({ requestPolicy: 'network-only' }), refetchKeys({ requestPolicy: 'network-only' }));

  const createUser = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    void run(async () => {
      const done = outcome(
        await client
          .mutation(CreateUserDocument, {
            input: { email: String(f.get('email')), displayName: String(f.get('displayName')), password: String(f.get('password')), role: String(f.get('role')) as Role },
          })
          .toPromise(),
      );
      setUserProblem(done.ok ? null : done.problem);
      if (done.ok) (setNotice('User created.'), form.reset(), refresh());
    });
  };
  const createAccount = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    void run(async () => {
      const done = outcome(await client.mutation(CreateServiceAccountDocument, { input: { name: String(f.get('name')), role: String(f.get('role')) as Role } }).toPromise());
      setAccountProblem(done.ok ? null : done.problem);
      if (done.ok) (setNotice('Service account created. Create an API key for it below.'), form.reset(), refresh());
    });
  };
  const createKey = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const expires = String(f.get('expiresAt') ?? '');
    void run(async () => {
      const done = outcome(
        await client
          .mutation(CreateApiKeyDocument, { input: { name: String(f.get('name')), userId: String(f.get('userId')) || null, expiresAt: expires ? new Date(expires).toISOString() : null } })
          .toPromise(),
      );
      setKeyProblem(done.ok ? null : done.problem);
      if (done.ok) (setSecret(done.value.secret), form.reset(), refresh());
    });
  };
  const deactivate = (id: string, name: string) =>
    confirm(`Deactivate ${name}? Their sessions and keys stop working.`) &&
    run(async () => {
      const done = outcome(await client.mutation(DeactivateUserDocument, { id }).toPromise());
      setNotice(done.ok ? `Deactivated ${name}.` : done.problem.message);
      refresh();
    });
  const revoke = (id: string, name: string) =>
    confirm(`Revoke key ${name}?`) &&
    run(async () => {
      const done = outcome(await client.mutation(RevokeApiKeyDocument, { id }).toPromise());
      setNotice(done.ok ? `Revoked ${name}.` : done.problem.message);
      refresh();
    });

  return (
    <section>
      <PageHeader title="Users & API keys" />
      <p class="muted" role="status" aria-live="polite">{notice()}</p>
      <QueryError error={dir.directory.error ?? keys.error} />
      <div class="two-col">
        <form class="card" onSubmit={createUser} novalidate aria-label="Invite a person">
          <h2>Add a person</h2>
          <ProblemBanner problem={userProblem()} />
          <Field label="Email" name="email" problem={userProblem()}>{(a) => <input {...a} type="email" required autocomplete="off" />}</Field>
          <Field label="Display name" name="displayName" problem={userProblem()}>{(a) => <input {...a} required />}</Field>
          <Field label="Initial password" name="password" problem={userProblem()}>{(a) => <input {...a} type="password" required autocomplete="new-password" />}</Field>
          <Field label="Role" name="role" problem={userProblem()}>{(a) => <select {...a}><For each={ROLES}>{(r) => <option value={r}>{r}</option>}</For></select>}</Field>
          <button type="submit" disabled={busy()}>Add person</button>
        </form>
        <form class="card" onSubmit={createAccount} novalidate aria-label="Create a service account">
          <h2>Add a service account</h2>
          <p class="muted">For pipelines and Terraform: signs in only with API keys.</p>
          <ProblemBanner problem={accountProblem()} />
          <Field label="Name" name="name" problem={accountProblem()}>{(a) => <input {...a} required />}</Field>
          <Field label="Role" name="role" problem={accountProblem()}>{(a) => <select {...a}><For each={ROLES}>{(r) => <option value={r}>{r}</option>}</For></select>}</Field>
          <button type="submit" disabled={busy()}>Add service account</button>
        </form>
      </div>
      <h2>People and service accounts</h2>
      <Show when={dir.directory.data || !dir.directory.fetching} fallback={<Loading />}>
        <Table
          caption="Users"
          columns={['Name', 'Email', 'Kind', 'Role', 'Status', 'Actions']}
          rows={dir.users()}
          empty="No user yet."
          row={(u) => (
            <tr>
              <td>{u.displayName}</td>
              <td>{u.email}</td>
              <td>{u.kind === 'SERVICE_ACCOUNT' ? 'service account' : 'person'}</td>
              <td>{u.role}</td>
              <td>{u.active ? 'active' : 'deactivated'}</td>
              <td>
                <Show when={u.active}>
                  <RowButton label="Deactivate" subject={u.displayName} danger onClick={() => deactivate(u.id, u.displayName)} />
                </Show>
              </td>
            </tr>
          )}
        />
      </Show>
      <h2>API keys</h2>
      <form class="card grid-form" onSubmit={createKey} novalidate aria-label="Create an API key">
        <ProblemBanner problem={keyProblem()} />
        <Field label="Key name" name="name" problem={keyProblem()}>{(a) => <input {...a} required />}</Field>
        <Field label="For" name="userId" problem={keyProblem()}>
          {(a) => (
            <select {...a}>
              <option value="">Myself</option>
              <For each={dir.users().filter((u) => u.active)}>{(u) => <option value={u.id}>{u.displayName}</option>}</For>
            </select>
          )}
        </Field>
        <Field label="Expires" name="expiresAt" problem={keyProblem()}>{(a) => <input {...a} type="datetime-local" />}</Field>
        <div class="actions-row"><button type="submit" disabled={busy()}>Create key</button></div>
      </form>
      <Show when={secret()}>
        {(value) => (
          <div class="banner ok" role="alert">
            <p>
              <strong>Copy this key now — it is not shown again:</strong>
            </p>
            <code class="secret" data-testid="api-key-secret">{value()}</code>
            <div class="actions-row">
              <button type="button" class="secondary" onClick={() => void navigator.clipboard?.writeText(value())}>Copy</button>
              <button type="button" class="link" onClick={() => setSecret(null)}>I have stored it</button>
            </div>
          </div>
        )}
      </Show>
      <Show when={keys.data || !keys.fetching} fallback={<Loading />}>
        <Table
          caption="API keys"
          columns={['Name', 'Prefix', 'Owner', 'Created', 'Last used', 'Expires', 'Status', 'Actions']}
          rows={keys.data?.apiKeys.edges.map((e) => e.node) ?? []}
          empty="No API key yet."
          row={(k) => (
            <tr>
              <td>{k.name}</td>
              <td><code>{k.prefix}…</code></td>
              <td>{k.user?.displayName ?? dir.name(k.userId)}</td>
              <td><When at={k.createdAt} /></td>
              <td><When at={k.lastUsedAt} /></td>
              <td><When at={k.expiresAt} /></td>
              <td>{k.revokedAt ? 'revoked' : 'active'}</td>
              <td>
                <Show when={!k.revokedAt}>
                  <RowButton label="Revoke" subject={k.name} danger onClick={() => revoke(k.id, k.name)} />
                </Show>
              </td>
            </tr>
          )}
        />
      </Show>
    </section>
  );
}
