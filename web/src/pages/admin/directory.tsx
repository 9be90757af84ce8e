/** Users, groups and datasources of the organization, for pickers and for showing names instead of ids. */
import { createQuery } from '@urql/solid';
import { For } from 'solid-js';
import { DirectoryDocument } from '../../graphql/admin.documents.ts';

export function useDirectory(options: { pause?: () => boolean } = {}) {
  const [directory, refetch] = createQuery({ query: DirectoryDocument, pause: () => options.pause?.() ?? false });
  const users = () => directory.data?.users.edges.map((e) => e.node) ?? [];
  const groups = () => directory.data?.userGroups.edges.map((e) => e.node) ?? [];
  const datasources = () => directory.data?.datasources.edges.map((e) => e.node) ?? [];
  const name = (id: string | number | null | undefined) =>
    id == null
      ? '—'
      : (users().find((u) => u.id === id)?.displayName ?? groups().find((g) => g.id === id)?.name ?? datasources().find((d) => d.id === id)?.name ?? String(id).slice(0, 8));
  return { directory, refetch, users, groups, datasources, name };
}

/** Picks the datasource a policy page shows; its value lives in the address (`?datasource=`). */
export function DatasourcePicker(props: { value: string | undefined; onChange: (id: string | undefined) => void; datasources: { id: string; name: string }[]; label?: string; name?: string; required?: boolean }) {
  return (
    <label class="inline">
      <span>{props.label ?? 'Datasource'}</span>
      <select name={props.name ?? 'datasourceId'} value={props.value ?? ''} onChange={(e) => props.onChange(e.currentTarget.value || undefined)} required={props.required}>
        <option value="">{props.required ? 'Choose…' : 'All datasources'}</option>
        <For each={props.datasources}>{(d) => <option value={d.id} selected={props.value === d.id}>{d.name}</option>}</For>
      </select>
    </label>
  );
}

/** A multi-select of ids, submitted under `name`. */
export function MultiPick(props: { label: string; name: string; options: { id: string; label: string }[]; selected: readonly (string | number)[] }) {
  return (
    <label class="field">
      <span>{props.label}</span>
      <select multiple name={props.name} size={Math.min(5, Math.max(2, props.options.length))}>
        <For each={props.options}>{(o) => <option value={o.id} selected={props.selected.includes(o.id)}>{o.label}</option>}</For>
      </select>
    </label>
  );
}
