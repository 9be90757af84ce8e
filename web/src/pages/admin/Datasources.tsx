/** Datasources: list, create or edit (the connection is tested before saving), test, delete. */
import { createQuery } from '@urql/solid';
import { For, Show, createSignal } from 'solid-js';
import { client } from '../../client.ts';
import { AdminDatasourcesDocument, DeleteDatasourceDocument, TestDatasourceConnectionDocument, UpsertDatasourceDocument } from '../../graphql/admin.documents.ts';
import type { DatasourceFieldsFragment, DbType, SslMode } from '../../graphql/generated.ts';
import { Table } from '../../table.tsx';
import { Field, Loading, outcome, PageHeader, ProblemBanner, QueryError, RowButton, type Problem, useBusy, When } from '../../ui.tsx';

export default function Datasources() {
  const [data, refetch] = createQuery({ query: AdminDatasourcesDocument });
  const [editing, setEditing] = createSignal<DatasourceFieldsFragment | 'new' | null>(null);
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [notice, setNotice] = createSignal('');
  const [busy, run] = useBusy();
  const rows = () => data.data?.datasources.edges.map((e) => e.node) ?? [];
  const plans = () => data.data?.reviewPlans.edges.map((e) => e.node) ?? [];
  const aiConfigs = () => data.data?.aiConfigs.edges.map((e) => e.node) ?? [];
  const current = () => {
    const e = editing();
    return e === 'new' ? null : e;
  };

  const save = (event: SubmitEvent) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(f.get(name) ?? '').trim();
    const number = (name: string) => (text(name) ? Number(text(name)) : null);
    void run(async () => {
      setProblem(null);
      const result = await client
        .mutation(UpsertDatasourceDocument, {
          input: {
            name: text('name'),
            dbType: text('dbType') as DbType,
            host: text('host'),
            port: number('port'),
            databaseName: text('databaseName'),
            username: text('username'),
            password: text('password') || null,
            sslMode: text('sslMode') as SslMode,
            sslRootCertificate: text('sslRootCertificate') || null,
            maxRowsPerQuery: number('maxRowsPerQuery'),
            connectionPoolSize: number('connectionPoolSize'),
            statementTimeoutSeconds: number('statementTimeoutSeconds'),
            requireReviewReads: f.get('requireReviewReads') === 'on',
            requireReviewWrites: f.get('requireReviewWrites') === 'on',
            reviewPlanId: text('reviewPlanId') || null,
            aiConfigId: text('aiConfigId') || null,
          },
        })
        .toPromise();
      const done = outcome(result);
      if (!done.ok) return setProblem(done.problem);
      setNotice(`Saved ${done.value.name}.`);
      setEditing(null);
      refetch({ requestPolicy: 'network-only' });
    });
  };
  const test = (id: string, name: string) =>
    run(async () => {
      const done = outcome(await client.mutation(TestDatasourceConnectionDocument, { id }).toPromise());
      if (!done.ok) return setNotice(`${name}: ${done.problem.message}`);
      setNotice(done.value.ok ? `${name}: connected in ${done.value.latencyMs} ms (${done.value.serverVersion ?? 'unknown version'}).` : `${name}: ${done.value.error}`);
    });
  const remove = (d: DatasourceFieldsFragment) =>
    confirm(`Delete datasource ${d.name}?`) &&
    run(async () => {
      const done = outcome(await client.mutation(DeleteDatasourceDocument, { id: d.id }).toPromise());
      setNotice(done.ok ? `Deleted ${d.name}.` : done.problem.message);
      refetch({ requestPolicy: 'network-only' });
    });

  return (
    <section>
      <PageHeader title="Datasources">
        <button type="button" onClick={() => (setProblem(null), setEditing('new'))}>
          Add datasource
        </button>
      </PageHeader>
      <p class="muted" role="status" aria-live="polite">
        {notice()}
      </p>
      <QueryError error={data.error} />
      <Show when={editing()}>
        <form class="card grid-form" onSubmit={save} novalidate aria-label={current() ? `Edit ${current()!.name}` : 'New datasource'}>
          <h2>{current() ? `Edit ${current()!.name}` : 'New datasource'}</h2>
          <ProblemBanner problem={problem()} />
          <Field label="Name" name="name" problem={problem()}>
            {(a) => <input {...a} required value={current()?.name ?? ''} readOnly={!!current()} />}
          </Field>
          <Field label="Engine" name="dbType" problem={problem()}>
            {(a) => (
              <select {...a} value={current()?.dbType ?? 'POSTGRESQL'}>
                <option value="POSTGRESQL" selected={(current()?.dbType ?? 'POSTGRESQL') === 'POSTGRESQL'}>PostgreSQL</option>
                <option value="MYSQL" selected={(current()?.dbType ?? 'POSTGRESQL') === 'MYSQL'}>MySQL</option>
                <option value="MARIADB" selected={(current()?.dbType ?? 'POSTGRESQL') === 'MARIADB'}>MariaDB</option>
              </select>
            )}
          </Field>
          <Field label="Host" name="host" problem={problem()}>
            {(a) => <input {...a} required value={current()?.host ?? ''} />}
          </Field>
          <Field label="Port" name="port" problem={problem()} hint="Empty: the engine's default.">
            {(a) => <input {...a} type="number" inputmode="numeric" value={current()?.port ?? ''} />}
          </Field>
          <Field label="Database" name="databaseName" problem={problem()}>
            {(a) => <input {...a} required value={current()?.databaseName ?? ''} />}
          </Field>
          <Field label="Username" name="username" problem={problem()}>
            {(a) => <input {...a} required value={current()?.username ?? ''} autocomplete="off" />}
          </Field>
          <Field label="Password" name="password" problem={problem()} hint={current()?.hasPassword ? 'Leave empty to keep the stored password.' : 'Stored encrypted; never shown again.'}>
            {(a) => <input {...a} type="password" autocomplete="new-password" />}
          </Field>
          <Field label="SSL mode" name="sslMode" problem={problem()}>
            {(a) => (
              <select {...a} value={current()?.sslMode ?? 'DISABLE'}>
                <For each={['DISABLE', 'REQUIRE', 'VERIFY_CA', 'VERIFY_FULL']}>{(m) => <option value={m} selected={(current()?.sslMode ?? 'DISABLE') === m}>{m}</option>}</For>
              </select>
            )}
          </Field>
          <Field label="Trusted certificate authorities (PEM)" name="sslRootCertificate" problem={problem()} hint="For VERIFY_CA and VERIFY_FULL: a private CA or the server's self-signed certificate. Empty: the system's authorities.">
            {(a) => <textarea {...a} class="code" rows={3} spellcheck={false} value={current()?.sslRootCertificate ?? ''} />}
          </Field>
          <Field label="Row cap per query" name="maxRowsPerQuery" problem={problem()}>
            {(a) => <input {...a} type="number" value={current()?.maxRowsPerQuery ?? ''} />}
          </Field>
          <Field label="Connection pool size" name="connectionPoolSize" problem={problem()}>
            {(a) => <input {...a} type="number" value={current()?.connectionPoolSize ?? ''} />}
          </Field>
          <Field label="Statement timeout (s)" name="statementTimeoutSeconds" problem={problem()}>
            {(a) => <input {...a} type="number" value={current()?.statementTimeoutSeconds ?? ''} />}
          </Field>
          <Field label="Review plan" name="reviewPlanId" problem={problem()}>
            {(a) => (
              <select {...a} value={current()?.reviewPlanId ?? ''}>
                <option value="">Organization default</option>
                <For each={plans()}>{(p) => <option value={p.id} selected={current()?.reviewPlanId === p.id}>{p.name}</option>}</For>
              </select>
            )}
          </Field>
          <Field label="AI review" name="aiConfigId" problem={problem()}>
            {(a) => (
              <select {...a} value={current()?.aiConfigId ?? ''}>
                <option value="">Built-in rules only</option>
                <For each={aiConfigs()}>{(c) => <option value={c.id} selected={current()?.aiConfigId === c.id}>{c.name}</option>}</For>
              </select>
            )}
          </Field>
          <label class="check">
            <input type="checkbox" name="requireReviewReads" checked={current()?.requireReviewReads ?? false} /> Reads need review
          </label>
          <label class="check">
            <input type="checkbox" name="requireReviewWrites" checked={current()?.requireReviewWrites ?? true} /> Writes need review
          </label>
          <div class="actions-row">
            <button type="submit" disabled={busy()}>
              {busy() ? 'Testing connection…' : 'Save'}
            </button>
            <button type="button" class="secondary" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </form>
      </Show>
      <Show when={data.data || !data.fetching} fallback={<Loading />}>
        <Table
          caption="Datasources"
          columns={['Name', 'Engine', 'Address', 'Review', 'Updated', 'Actions']}
          rows={rows()}
          empty="No datasource yet. Add the first one to start governing queries."
          row={(d) => (
            <tr>
              <td>{d.name}</td>
              <td>{d.dbType}</td>
              <td>
                <code>
                  {d.username}@{d.host}:{d.port}/{d.databaseName}
                </code>
              </td>
              <td>{[d.requireReviewReads && 'reads', d.requireReviewWrites && 'writes'].filter(Boolean).join(' + ') || 'none'}</td>
              <td><When at={d.updatedAt} /></td>
              <td class="actions-row">
                <RowButton label="Edit" subject={d.name} onClick={() => (setProblem(null), setEditing(d))} />
                <RowButton label="Test" subject={d.name} onClick={() => test(d.id, d.name)} />
                <RowButton label="Delete" subject={d.name} danger onClick={() => remove(d)} />
              </td>
            </tr>
          )}
        />
      </Show>
    </section>
  );
}
