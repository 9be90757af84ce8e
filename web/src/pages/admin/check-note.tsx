import { Show } from 'solid-js';

/** The outcome of a row's test (a connection, a test message), announced where the row's actions are. */
export function CheckNote(props: { check: { ok: boolean; text: string } | undefined; testId: string }) {
  return (
    <Show when={props.check}>
      {(check) => (
        <small class={check().ok ? 'check-ok' : 'field-error'} role="status" data-testid={props.testId}>
          {check().text}
        </small>
      )}
    </Show>
  );
}
