/** Sign in; returns to the page that asked for it (`?next=`), so shared links survive the detour. */
import { useNavigate, useSearchParams } from '@solidjs/router';
import { createSignal } from 'solid-js';
import { client, reconnectSubscriptions } from '../client.ts';
import { LoginDocument } from '../graphql/signin.documents.ts';
import { setTokens } from '../session.ts';
import { Field, ProblemBanner, outcome, useBusy, type Problem } from '../ui.tsx';

export default function SignIn() {
  const navigate = useNavigate();
  const [params] = useSearchParams<{ next?: string }>();
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [busy, run] = useBusy();
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    void run(async () => {
      const result = await client
        .mutation(LoginDocument, { input: { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') } })
        .toPromise();
      const done = outcome(result);
      if (!done.ok) return setProblem(done.problem);
      setTokens(done.value);
      reconnectSubscriptions();
      const next = params.next;
      // Only a path of this site: `//host` and `/\host` would leave it.
      navigate(next && /^\/(?![/\\])/.test(next) ? next : '/', { replace: true });
    });
  };
  return (
    <section class="card narrow" aria-labelledby="signin-title">
      <h1 id="signin-title" tabindex="-1">
        Sign in to AccessFlow
      </h1>
      <form onSubmit={submit} novalidate>
        <ProblemBanner problem={problem()} />
        <Field label="Email" name="email" problem={problem()}>
          {(a) => <input {...a} type="email" required autocomplete="username" />}
        </Field>
        <Field label="Password" name="password" problem={problem()}>
          {(a) => <input {...a} type="password" required autocomplete="current-password" />}
        </Field>
        <button type="submit" disabled={busy()}>
          {busy() ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}
