/** Small shared pieces: typed mutation outcomes, form fields with their errors, states, badges. */
import type { CombinedError } from '@urql/core';
import { Show, createSignal, createUniqueId, untrack, type JSX } from 'solid-js';

export interface FieldIssue {
  path: string;
  message: string;
}

/** A mutation's typed error member, as the console shows it. */
export interface Problem {
  code: string;
  message: string;
  issues: FieldIssue[];
}

type Member = { __typename: string; code?: string; message?: string; issues?: FieldIssue[] };

/** The Success member's data, or the typed error (or the transport error) as a Problem. */
export type Outcome<V> = { ok: true; value: V } | { ok: false; problem: Problem };

export function outcome<T extends Member>(
  result: { data?: Record<string, T | null | undefined> | null; error?: CombinedError | undefined },
): Outcome<Extract<T, { data: unknown }>['data']> {
  if (result.error) {
    const code = result.error.networkError ? 'NETWORK' : String(result.error.graphQLErrors[0]?.extensions['code'] ?? 'ERROR');
    return { ok: false, problem: { code, message: readable(result.error), issues: [] } };
  }
  const member = Object.values(result.data ?? {})[0];
  if (!member) return { ok: false, problem: { code: 'EMPTY', message: 'The server sent no result.', issues: [] } };
  if (member.__typename.endsWith('Success')) return { ok: true, value: (member as unknown as { data: Extract<T, { data: unknown }>['data'] }).data };
  return { ok: false, problem: { code: member.code ?? member.__typename, message: member.message ?? member.__typename, issues: member.issues ?? [] } };
}

export function readable(error: CombinedError): string {
  if (error.networkError) return `Cannot reach the server (${error.networkError.message}).`;
  return error.graphQLErrors.map((e) => e.message).join('; ') || error.message;
}

/** The issue for one input field: paths look like `input.email` or `email`. */
export function issueFor(problem: Problem | null | undefined, field: string): string | undefined {
  return problem?.issues.find((issue) => issue.path === field || issue.path.endsWith(`.${field}`))?.message;
}

export function Field(props: {
  label: string;
  name: string;
  problem?: Problem | null | undefined;
  hint?: string;
  children: (attrs: { id: string; name: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => JSX.Element;
}) {
  const id = createUniqueId();
  const error = () => issueFor(props.problem, props.name);
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {
        // Called once: the control keeps what was typed while its error state changes (getters stay reactive in a spread).
        untrack(() =>
          props.children({
            id,
            name: props.name,
            get 'aria-invalid'() {
              return !!error();
            },
            get 'aria-describedby'() {
              return error() || props.hint ? `${id}-note` : undefined;
            },
          }),
        )
      }
      <Show when={error() ?? props.hint}>
        <small id={`${id}-note`} classList={{ 'field-error': !!error() }} role={error() ? 'alert' : undefined}>
          {error() ?? props.hint}
        </small>
      </Show>
    </div>
  );
}

/** A form-level error: the typed error's message (field issues are shown next to their fields). */
export function ProblemBanner(props: { problem: Problem | null | undefined }) {
  return (
    <Show when={props.problem}>
      {(problem) => (
        <div class="banner error" role="alert">
          <strong>{title(problem().code)}</strong> {problem().message}
        </div>
      )}
    </Show>
  );
}

function title(code: string): string {
  const known: Record<string, string> = {
    VALIDATION_FAILED: 'Please check the form.',
    FORBIDDEN: 'Not allowed.',
    NOT_FOUND: 'Not found.',
    CONFLICT: 'Conflict.',
    QUOTA_EXCEEDED: 'Quota reached.',
    RATE_LIMITED: 'Too many attempts.',
    UNAUTHENTICATED: 'Not signed in.',
    CONNECTION_FAILED: 'Connection failed.',
    QUERY_REJECTED: 'Query refused.',
    NETWORK: 'Network error.',
    INTERNAL_SERVER_ERROR: 'Server error.',
    ERROR: 'Error.',
  };
  return known[code] ?? `${code}:`;
}

export function Loading(props: { label?: string }) {
  return (
    <p class="muted loading" role="status" aria-live="polite">
      {props.label ?? 'Loading…'}
    </p>
  );
}

export function Empty(props: { children: JSX.Element }) {
  return <p class="empty">{props.children}</p>;
}

export function QueryError(props: { error: CombinedError | undefined }) {
  return (
    <Show when={props.error}>
      {(error) => (
        <div class="banner error" role="alert">
          {readable(error())}
        </div>
      )}
    </Show>
  );
}

export function StatusBadge(props: { status: string }) {
  return <span class={`badge status-${props.status.toLowerCase()}`}>{props.status.replace(/_/g, ' ')}</span>;
}

export function RiskBadge(props: { level: string | null | undefined; score?: number | null | undefined }) {
  return (
    <span class={`badge risk-${(props.level ?? 'none').toLowerCase()}`} title={props.score == null ? undefined : `risk score ${props.score}`}>
      {props.level ?? 'no risk yet'}
    </span>
  );
}

export function When(props: { at: string | null | undefined }) {
  return (
    <Show when={props.at} fallback={<span class="muted">—</span>}>
      {(at) => <time datetime={at()}>{new Date(at()).toLocaleString()}</time>}
    </Show>
  );
}

/**
 * A row's action as a link-styled button whose accessible name says what it acts on ("Delete orders"), so a
 * table of such rows reads unambiguously to a screen reader.
 */
export function RowButton(props: {
  label: string;
  subject: string;
  onClick: () => void;
  danger?: boolean;
  disabled?: boolean;
  'aria-expanded'?: boolean;
}) {
  return (
    <button type="button" class={props.danger ? 'link danger' : 'link'} disabled={props.disabled} aria-expanded={props['aria-expanded']} onClick={() => props.onClick()}>
      {props.label}
      <span class="sr-only"> {props.subject}</span>
    </button>
  );
}

/** A page heading with optional actions on the right. */
export function PageHeader(props: { title: string; children?: JSX.Element }) {
  return (
    <header class="page-header">
      <h1 tabindex="-1">{props.title}</h1>
      <div class="actions">{props.children}</div>
    </header>
  );
}

/** Runs an async action while disabling its button. */
export function useBusy(): [() => boolean, <T>(work: () => Promise<T>) => Promise<T>] {
  const [busy, setBusy] = createSignal(false);
  return [
    busy,
    async (work) => {
      setBusy(true);
      try {
        return await work();
      } finally {
        setBusy(false);
      }
    },
  ];
}

/** Comma-separated text → list (empty → empty list). */
export function list(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}
