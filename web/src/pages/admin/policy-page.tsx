/**
 * What the per-datasource policy pages share (masking, row security, classification tags): the datasource
 * in the address, a form that saves through one mutation, a list with remove buttons, and the
 * roles / groups / users a policy names.
 */
import { useSearchParams } from '@solidjs/router';
import { Show, createSignal, type JSX } from 'solid-js';
import type { CombinedError } from '@urql/core';
import { Loading, outcome, PageHeader, ProblemBanner, QueryError, RowButton, type Outcome, type Problem, useBusy } from '../../ui.tsx';
import { DatasourcePicker, MultiPick, useDirectory } from './directory.tsx';

type MutationResult = Parameters<typeof outcome>[0];

/** The page's state and its two actions; `reload` reads the list again after a change. */
export function usePolicyPage(reload: () => void) {
  const [params, setParams] = useSearchParams<{ datasource?: string }>();
  const dir = useDirectory();
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [notice, setNotice] = createSignal('');
  const [busy, run] = useBusy();
  /** A submit handler: sends the form's fields; on success says `saved`, clears the form and reloads. */
  const saver = (send: (field: FormFields) => Promise<MutationResult>, saved: string) => (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const fields = formFields(new FormData(form));
    void run(async () => {
      const done: Outcome<unknown> = outcome(await send(fields));
      if (!done.ok) return setProblem(done.problem);
      setProblem(null);
      setNotice(saved);
      form.reset();
      reload();
    });
  };
  const remover = (send: (id: string) => Promise<MutationResult>, removed: string) => (id: string) =>
    run(async () => {
      const done: Outcome<unknown> = outcome(await send(id));
      setNotice(done.ok ? removed : done.problem.message);
      reload();
    });
  return { datasource: () => params.datasource, showDatasource: (id: string | undefined) => setParams({ datasource: id }), dir, problem, notice, busy, saver, remover };
}

export interface FormFields {
  /** A field's text, trimmed ('' when absent). */
  text(name: string): string;
  /** Every value of a multi-select. */
  all(name: string): string[];
  checked(name: string): boolean;
}

function formFields(data: FormData): FormFields {
  return {
    text: (name) => String(data.get(name) ?? '').trim(),
    all: (name) => data.getAll(name).map(String),
    checked: (name) => data.get(name) === 'on',
  };
}

/** The page: heading with the datasource filter, the save form (its fields are the children), the list. */
export function PolicyPage(props: {
  page: ReturnType<typeof usePolicyPage>;
  title: string;
  formTitle: string;
  /** 'Save policy' unless named. */
  submitLabel?: string;
  onSubmit: (event: SubmitEvent) => void;
  children: JSX.Element;
  listError: CombinedError | undefined;
  listLoading: boolean;
  list: JSX.Element;
}) {
  const page = props.page;
  return (
    <section>
      <PageHeader title={props.title}>
        <DatasourcePicker value={page.datasource()} onChange={page.showDatasource} datasources={page.dir.datasources()} label="Show" name="show" />
      </PageHeader>
      <p class="muted" role="status" aria-live="polite">
        {page.notice()}
      </p>
      <form class="card grid-form" onSubmit={(event) => props.onSubmit(event)} novalidate aria-label={props.formTitle}>
        <h2>{props.formTitle}</h2>
        <ProblemBanner problem={page.problem()} />
        <DatasourcePicker value={page.datasource()} onChange={() => {}} datasources={page.dir.datasources()} required />
        {props.children}
        <div class="actions-row">
          <button type="submit" disabled={page.busy()}>
            {props.submitLabel ?? 'Save policy'}
          </button>
        </div>
      </form>
      <QueryError error={props.listError} />
      <Show when={!props.listLoading} fallback={<Loading />}>
        {props.list}
      </Show>
    </section>
  );
}

/** Roles, groups and users picked for a policy, submitted as `<prefix>Roles`, `<prefix>GroupIds`, `<prefix>UserIds`. */
export function AudiencePicks(props: { dir: ReturnType<typeof useDirectory>; prefix: string; verb: string; roles: readonly string[] }) {
  return (
    <>
      <MultiPick label={`${props.verb} roles`} name={`${props.prefix}Roles`} options={props.roles.map((r) => ({ id: r, label: r }))} selected={[]} />
      <MultiPick label={`${props.verb} groups`} name={`${props.prefix}GroupIds`} options={props.dir.groups().map((g) => ({ id: g.id, label: g.name }))} selected={[]} />
      <MultiPick label={`${props.verb} users`} name={`${props.prefix}UserIds`} options={props.dir.users().map((u) => ({ id: u.id, label: u.displayName }))} selected={[]} />
      <label class="check">
        <input type="checkbox" name="enabled" checked /> Enabled
      </label>
    </>
  );
}

/** The roles, groups and users of a policy as names. */
export function audience(dir: ReturnType<typeof useDirectory>, roles: readonly string[], groupIds: readonly string[], userIds: readonly string[]): string {
  return [...roles, ...groupIds.map(dir.name), ...userIds.map(dir.name)].join(', ');
}

/** A remove button naming what it removes for screen readers. */
export function RemoveButton(props: { onClick: () => void; what: string }) {
  return (
    <RowButton label="Remove" subject={props.what} danger onClick={() => props.onClick()} />
  );
}
