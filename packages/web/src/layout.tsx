import { lazy, Suspense, useState } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { useSession } from './auth/session-context.tsx';
import { Loading } from './components/states.tsx';
import { currentTheme, setTheme } from './components/theme.ts';

const PromptTester = lazy(() => import('./pages/prompt-tester/prompt-tester.tsx'));
const SchemaBuilder = lazy(() => import('./pages/schema-builder/schema-builder.tsx'));
const Analytics = lazy(() => import('./pages/analytics/analytics.tsx'));
const History = lazy(() => import('./pages/history/history.tsx'));
const RequestView = lazy(() => import('./pages/history/request-view.tsx'));
const Jobs = lazy(() => import('./pages/jobs/jobs.tsx'));
const ApiKeys = lazy(() => import('./pages/api-keys/api-keys.tsx'));

interface Page {
  path: string;
  label: string;
  adminOnly?: boolean;
}

const pages: Page[] = [
  { path: '/', label: 'Prompt tester' },
  { path: '/schemas', label: 'Schema builder' },
  { path: '/history', label: 'History' },
  { path: '/analytics', label: 'Analytics' },
  { path: '/jobs', label: 'Jobs' },
  { path: '/keys', label: 'API keys', adminOnly: true },
];

function ThemeToggle() {
  const [theme, setCurrent] = useState(currentTheme);
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="secondary"
      aria-label={`Switch to ${next} theme`}
      onClick={() => {
        setTheme(next);
        setCurrent(next);
      }}
    >
      {theme === 'dark' ? 'Light' : 'Dark'} theme
    </button>
  );
}

function Navigation() {
  const { isAdmin } = useSession();
  const [location] = useLocation();
  const isCurrent = (path: string) => (path === '/' ? location === '/' : location.startsWith(path));
  return (
    <nav aria-label="Main">
      <ul>
        {pages
          .filter((page) => isAdmin || !page.adminOnly)
          .map((page) => (
            <li key={page.path}>
              <Link href={page.path} aria-current={isCurrent(page.path) ? 'page' : undefined}>
                {page.label}
              </Link>
            </li>
          ))}
      </ul>
    </nav>
  );
}

function AdminOnly() {
  return (
    <section>
      <h1>Admins only</h1>
      <p role="alert">This page needs an admin key. Sign in with one to manage API keys.</p>
    </section>
  );
}

function Pages() {
  const { isAdmin } = useSession();
  return (
    <Suspense fallback={<Loading />}>
      <Switch>
        <Route path="/" component={PromptTester} />
        <Route path="/schemas" component={SchemaBuilder} />
        <Route path="/history" component={History} />
        <Route path="/history/:id">{(params) => <RequestView id={params.id} />}</Route>
        <Route path="/analytics" component={Analytics} />
        <Route path="/jobs" component={Jobs} />
        <Route path="/keys" component={isAdmin ? ApiKeys : AdminOnly} />
        <Route>
          <h1>Not found</h1>
          <p>This page does not exist. Pick one from the menu.</p>
        </Route>
      </Switch>
    </Suspense>
  );
}

export function Layout() {
  const { key, signOut } = useSession();
  return (
    <div className="shell">
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Structured Prompt</span>
        <Navigation />
        <div className="who">
          <span className="muted" title={key.key_prefix}>
            {key.name}
          </span>
          <ThemeToggle />
          <button type="button" className="secondary" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="content" tabIndex={-1}>
        <Pages />
      </main>
    </div>
  );
}
