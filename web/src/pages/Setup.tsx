/** First run: the setup token the server printed, the organization, and its first admin. */
import { useNavigate } from '@solidjs/router';
import { createQuery } from '@urql/solid';
import { Show, createSignal } from 'solid-js';
import { client } from '../client.ts';
import { SetupRequiredDocument } from '../graphql/session.documents.ts';
import { SetupDocument } from '../graphql/signin.documents.ts';
import { setTokens } from '../session.ts';
import { Field, ProblemBanner, outcome, useBusy, type Problem } from '../ui.tsx';

export default function Setup() {
  const navigate = useNavigate();
  const [required] = createQuery({ query: SetupRequiredDocument });
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [busy, run] = useBusy();
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const value = (name: string) => String(form.get(name) ?? '');
    void run(async () => {
      const result = await client
        .mutation(SetupDocument, {
          input: {
            setupToken: value('setupToken').trim(),
            organizationName: value('organizationName'),
            displayName: value('displayName'),
            email: value('email'),
            password: value('password'),
          },
        })
        .toPromise();
      const done = outcome(result);
      if (!done.ok) return setProblem(done.problem);
      setTokens(done.value);
      // A full load, so every gate reads the new state of the instance.
      window.location.assign('/admin/datasources');
    });
  };
  return (
    <section class="card narrow" aria-labelledby="setup-title">
      <h1 id="setup-title" tabindex="-1">
        Set up AccessFlow
      </h1>
      <Show when={required.data?.setupRequired === false}>
        <p>
          This instance is already set up. <button class="link" type="button" onClick={() => navigate('/login')}>Sign in</button>
        </p>
      </Show>
      <p class="muted">
        The server printed a line <code>setup token: …</code> when it started. Paste that token to create the organization and its
        first administrator.
      </p>
      <form onSubmit={submit} novalidate>
        <ProblemBanner problem={problem()} />
        <Field label="Setup token" name="setupToken" problem={problem()}>
          {(a) => <input {...a} required autocomplete="off" spellcheck={false} />}
        </Field>
        <Field label="Organization name" name="organizationName" problem={problem()}>
          {(a) => <input {...a} required autocomplete="organization" />}
        </Field>
        <Field label="Your name" name="displayName" problem={problem()}>
          {(a) => <input {...a} required autocomplete="name" />}
        </Field>
        <Field label="Email" name="email" problem={problem()}>
          {(a) => <input {...a} type="email" required autocomplete="email" />}
        </Field>
        <Field label="Password" name="password" problem={problem()} hint="At least 12 characters.">
          {(a) => <input {...a} type="password" required autocomplete="new-password" />}
        </Field>
        <button type="submit" disabled={busy()}>
          {busy() ? 'Creating…' : 'Create organization'}
        </button>
      </form>
    </section>
  );
}
