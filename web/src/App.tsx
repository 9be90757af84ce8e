/** Routes, the signed-in layout (navigation, who am I, sign out) and the first-run / sign-in gates. */
import { A, Navigate, Router, useLocation, useNavigate, type RouteDefinition, type RouteSectionProps } from '@solidjs/router';
import { Provider, createQuery } from '@urql/solid';
import { For, Match, Show, Switch, createEffect, lazy, on, type JSX } from 'solid-js';
import { client, reconnectSubscriptions } from './client.ts';
import { LogoutDocument, MeDocument, SetupRequiredDocument } from './graphql/session.documents.ts';
import { MeContext, canAudit, canReview, isAdmin, type Me } from './me.ts';
import { setTokens, tokens } from './session.ts';
import { Loading, QueryError } from './ui.tsx';

// Every page is its own chunk, loaded when its route is first shown.
const ROUTES: RouteDefinition[] = [
  { path: '/setup', component: lazy(() => import('./pages/Setup.tsx')) },
  { path: '/login', component: lazy(() => import('./pages/SignIn.tsx')) },
  { path: '/', component: lazy(() => import('./pages/Dashboard.tsx')) },
  { path: '/editor', component: lazy(() => import('./pages/Editor.tsx')) },
  { path: '/queries', component: lazy(() => import('./pages/History.tsx')) },
  { path: '/queries/:id', component: lazy(() => import('./pages/Request.tsx')) },
  { path: '/reviews', component: lazy(() => import('./pages/Reviews.tsx')) },
  { path: '/access', component: lazy(() => import('./pages/Access.tsx')) },
  { path: '/templates', component: lazy(() => import('./pages/Templates.tsx')) },
  { path: '/admin/datasources', component: lazy(() => import('./pages/admin/Datasources.tsx')) },
  { path: '/admin/review-plans', component: lazy(() => import('./pages/admin/ReviewPlans.tsx')) },
  { path: '/admin/grants', component: lazy(() => import('./pages/admin/Grants.tsx')) },
  { path: '/admin/groups', component: lazy(() => import('./pages/admin/Groups.tsx')) },
  { path: '/admin/masking', component: lazy(() => import('./pages/admin/Masking.tsx')) },
  { path: '/admin/row-security', component: lazy(() => import('./pages/admin/RowSecurity.tsx')) },
  { path: '/admin/users', component: lazy(() => import('./pages/admin/Users.tsx')) },
  { path: '/admin/audit-log', component: lazy(() => import('./pages/admin/Audit.tsx')) },
  { path: '/admin/health', component: lazy(() => import('./pages/admin/Health.tsx')) },
  { path: '/admin/routing', component: lazy(() => import('./pages/admin/Routing.tsx')) },
  { path: '/admin/ai', component: lazy(() => import('./pages/admin/AiConfigs.tsx')) },
  { path: '/admin/notifications', component: lazy(() => import('./pages/admin/Notifications.tsx')) },
  { path: '/admin/classification', component: lazy(() => import('./pages/admin/Classification.tsx')) },
  { path: '/admin/break-glass', component: lazy(() => import('./pages/admin/BreakGlass.tsx')) },
  { path: '*', component: NotFound },
];

export function App() {
  return (
    <Provider value={client}>
      <Router root={Gate}>{ROUTES}</Router>
    </Provider>
  );
}

const PUBLIC = ['/setup', '/login'];

interface NavLink {
  href: string;
  label: string;
  shows: (me: Me | undefined) => boolean;
}
const everyone = () => true;
const WORK: NavLink[] = [
  { href: '/', label: 'Dashboard', shows: everyone },
  { href: '/editor', label: 'SQL editor', shows: everyone },
  { href: '/queries', label: 'Query history', shows: everyone },
  { href: '/reviews', label: 'Review queue', shows: canReview },
  { href: '/templates', label: 'Query templates', shows: everyone },
  { href: '/access', label: 'Access requests', shows: everyone },
];
const ADMIN: NavLink[] = [
  { href: '/admin/datasources', label: 'Datasources', shows: isAdmin },
  { href: '/admin/review-plans', label: 'Review plans', shows: isAdmin },
  { href: '/admin/routing', label: 'Routing policies', shows: isAdmin },
  { href: '/admin/grants', label: 'Grants', shows: isAdmin },
  { href: '/admin/groups', label: 'Groups', shows: isAdmin },
  { href: '/admin/masking', label: 'Masking', shows: isAdmin },
  { href: '/admin/row-security', label: 'Row security', shows: isAdmin },
  { href: '/admin/classification', label: 'Classification tags', shows: isAdmin },
  { href: '/admin/ai', label: 'AI configurations', shows: isAdmin },
  { href: '/admin/notifications', label: 'Notification channels', shows: isAdmin },
  { href: '/admin/users', label: 'Users & API keys', shows: isAdmin },
  { href: '/admin/health', label: 'Datasource health', shows: isAdmin },
  { href: '/admin/audit-log', label: 'Audit log', shows: canAudit },
  { href: '/admin/break-glass', label: 'Break-glass log', shows: canAudit },
];

function NavList(props: { links: NavLink[] }) {
  return (
    <ul>
      <For each={props.links}>
        {(link) => (
          <li>
            <A href={link.href} end={link.href === '/' || link.href === '/queries'}>
              {link.label}
            </A>
          </li>
        )}
      </For>
    </ul>
  );
}

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
          <NavList links={WORK.filter((link) => link.shows(user()))} />
          <Show when={isAdmin(user()) || canAudit(user())}>
            <h2 class="nav-group">Admin</h2>
            <NavList links={ADMIN.filter((link) => link.shows(user()))} />
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
