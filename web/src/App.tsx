/** Routes, the signed-in layout (navigation, who am I, sign out) and the first-run / sign-in gates. */
import { A, Navigate, Route, Router, useLocation, useNavigate, type RouteSectionProps } from '@solidjs/router';
import { Provider, createQuery } from '@urql/solid';
import { Match, Show, Switch, createEffect, lazy, on, type JSX } from 'solid-js';
import { client, reconnectSubscriptions } from './client.ts';
import { LogoutDocument, MeDocument, SetupRequiredDocument } from './graphql/generated.ts';
import { MeContext, canAudit, canReview, isAdmin } from './me.ts';
import { setTokens, tokens } from './session.ts';
import { Loading, QueryError } from './ui.tsx';

const Setup = lazy(() => import('./pages/Setup.tsx'));
const SignIn = lazy(() => import('./pages/SignIn.tsx'));
const Dashboard = lazy(() => import('./pages/Dashboard.tsx'));
const Editor = lazy(() => import('./pages/Editor.tsx'));
const RequestPage = lazy(() => import('./pages/Request.tsx'));
const Reviews = lazy(() => import('./pages/Reviews.tsx'));
const History = lazy(() => import('./pages/History.tsx'));
const Datasources = lazy(() => import('./pages/admin/Datasources.tsx'));
const ReviewPlans = lazy(() => import('./pages/admin/ReviewPlans.tsx'));
const Grants = lazy(() => import('./pages/admin/Grants.tsx'));
const Groups = lazy(() => import('./pages/admin/Groups.tsx'));
const Masking = lazy(() => import('./pages/admin/Masking.tsx'));
const RowSecurity = lazy(() => import('./pages/admin/RowSecurity.tsx'));
const Users = lazy(() => import('./pages/admin/Users.tsx'));
const Audit = lazy(() => import('./pages/admin/Audit.tsx'));
const Health = lazy(() => import('./pages/admin/Health.tsx'));

export function App() {
  return (
    <Provider value={client}>
      <Router root={Gate}>
        <Route path="/setup" component={Setup} />
        <Route path="/login" component={SignIn} />
        <Route path="/" component={Dashboard} />
        <Route path="/editor" component={Editor} />
        <Route path="/queries" component={History} />
        <Route path="/queries/:id" component={RequestPage} />
        <Route path="/reviews" component={Reviews} />
        <Route path="/admin/datasources" component={Datasources} />
        <Route path="/admin/review-plans" component={ReviewPlans} />
        <Route path="/admin/grants" component={Grants} />
        <Route path="/admin/groups" component={Groups} />
        <Route path="/admin/masking" component={Masking} />
        <Route path="/admin/row-security" component={RowSecurity} />
        <Route path="/admin/users" component={Users} />
        <Route path="/admin/audit-log" component={Audit} />
        <Route path="/admin/health" component={Health} />
        <Route path="*" component={NotFound} />
      </Router>
    </Provider>
  );
}

const PUBLIC = ['/setup', '/login'];

/** Sends a fresh instance to /setup, a signed-out visitor to /login (remembering where they were going). */
function Gate(props: RouteSectionProps) {
  const location = useLocation();
  const [setup] = createQuery({ query: SetupRequiredDocument, requestPolicy: 'network-only' });
  const isPublic = () => PUBLIC.includes(location.pathname);
  return (
    <Switch fallback={<Loading />}>
      <Match when={setup.error}>
        <main class="center">
          <QueryError error={setup.error} />
        </main>
      </Match>
      <Match when={setup.data?.setupRequired && location.pathname !== '/setup'}>
        <Navigate href="/setup" />
      </Match>
      <Match when={setup.data && isPublic()}>
        <main class="center">{props.children}</main>
      </Match>
      <Match when={setup.data && !tokens()}>
        <Navigate href={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} />
      </Match>
      <Match when={setup.data}>
        <Shell>{props.children}</Shell>
      </Match>
    </Switch>
  );
}

function Shell(props: { children: JSX.Element }) {
  const navigate = useNavigate();
  const location = useLocation();
  const [me] = createQuery({ query: MeDocument, context: { additionalTypenames: ['User'] } });
  let main: HTMLElement | undefined;
  // Move focus to the new page's heading, so keyboard and screen-reader users land on the content.
  createEffect(on(() => location.pathname, () => queueMicrotask(() => main?.querySelector<HTMLElement>('h1')?.focus()), { defer: true }));
  const signOut = async () => {
    await client.mutation(LogoutDocument, {}).toPromise();
    setTokens(null);
    reconnectSubscriptions();
    navigate('/login');
  };
  const user = () => me.data?.me;
  return (
    <MeContext.Provider value={user}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <div class="layout">
        <nav aria-label="Main">
          <div class="brand">AccessFlow</div>
          <Show when={user()}>
            {(u) => (
              <p class="who">
                {u().displayName}
                <br />
                <span class="muted">
                  {u().role} · {u().organization.name}
                </span>
              </p>
            )}
          </Show>
          <ul>
            <li><A href="/" end>Dashboard</A></li>
            <li><A href="/editor">SQL editor</A></li>
            <li><A href="/queries" end>Query history</A></li>
            <Show when={canReview(user())}>
              <li><A href="/reviews">Review queue</A></li>
            </Show>
          </ul>
          <Show when={isAdmin(user()) || canAudit(user())}>
            <h2 class="nav-group">Admin</h2>
            <ul>
              <Show when={isAdmin(user())}>
                <li><A href="/admin/datasources">Datasources</A></li>
                <li><A href="/admin/review-plans">Review plans</A></li>
                <li><A href="/admin/grants">Grants</A></li>
                <li><A href="/admin/groups">Groups</A></li>
                <li><A href="/admin/masking">Masking</A></li>
                <li><A href="/admin/row-security">Row security</A></li>
                <li><A href="/admin/users">Users &amp; API keys</A></li>
                <li><A href="/admin/health">Datasource health</A></li>
              </Show>
              <li><A href="/admin/audit-log">Audit log</A></li>
            </ul>
          </Show>
          <button type="button" class="link" onClick={signOut}>
            Sign out
          </button>
        </nav>
        <main id="main" ref={main}>
          <QueryError error={me.error} />
          {props.children}
        </main>
      </div>
    </MeContext.Provider>
  );
}

function NotFound() {
  return (
    <section>
      <h1 tabindex="-1">Page not found</h1>
      <p>
        Nothing lives at this address. <A href="/">Back to the dashboard</A>.
      </p>
    </section>
  );
}
