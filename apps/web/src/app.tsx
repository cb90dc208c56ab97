import { useEffect, useId, useRef, useState, type FormEvent, type MouseEvent } from 'react';
import { ErrorState, LoadingState } from './components/ui.js';
import { useI18n } from './i18n/context.js';
import { LOCALE_NAMES, LOCALES, type MessageKey } from './i18n/index.js';
import { useNames, useReference } from './reference.js';
import { Link, navigate, useRoute } from './router.js';
import { isCaseId, type Route } from './routes.js';
import { useSession } from './session.js';
import { CaseTimelineView } from './views/case-timeline.js';
import { ComplaintsView } from './views/complaints.js';
import { OverviewView } from './views/overview.js';
import { ReplayView } from './views/replay.js';
import { SignInView } from './views/sign-in.js';
import { WorkloadView } from './views/workload.js';

type NavItem = { key: MessageKey; route: Route; matches: Route['name'][] };
const NAV: Record<string, NavItem> = {
  overview: { key: 'nav.overview', route: { name: 'overview' }, matches: ['overview'] },
  workload: { key: 'nav.workload', route: { name: 'workload' }, matches: ['workload'] },
  complaints: { key: 'nav.complaints', route: { name: 'complaints' }, matches: ['complaints'] },
  findCase: { key: 'nav.findCase', route: { name: 'find-case' }, matches: ['find-case', 'case', 'replay'] },
};

/** What each role may read (the API decides; the menu only offers what will answer). */
const MENU: Record<string, Array<keyof typeof NAV>> = {
  'quality-control': ['overview', 'complaints', 'workload', 'findCase'],
  investigator: ['complaints', 'overview', 'workload', 'findCase'],
  admin: ['overview', 'complaints', 'workload', 'findCase'],
  director: ['workload', 'overview', 'findCase'],
  head: ['workload', 'findCase'],
};

export function homeOf(role: string): Route {
  const first = MENU[role]?.[0];
  return first ? NAV[first].route : { name: 'find-case' };
}

function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <div className="languages" role="group" aria-label={t('app.language')}>
      {LOCALES.map((l) => (
        <button key={l} type="button" lang={l} aria-pressed={locale === l} onClick={() => setLocale(l)}>
          {LOCALE_NAMES[l]}
        </button>
      ))}
    </div>
  );
}

function FindCase() {
  const { t } = useI18n();
  const { me } = useSession();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const go = (e: FormEvent, replay: boolean) => {
    e.preventDefault();
    if (!isCaseId(value)) {
      setError(t('findCase.invalid'));
      return;
    }
    const caseId = value.trim().toLowerCase();
    navigate(replay ? { name: 'replay', id: caseId } : { name: 'case', id: caseId });
  };
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t('findCase.title')}
      </h1>
      {me && !MENU[me.role] ? <p className="lead">{t('findCase.roleNote')}</p> : null}
      <form className="card narrow" onSubmit={(e) => go(e, false)}>
        <div className="field">
          <label htmlFor={id}>{t('findCase.label')}</label>
          <input id={id} value={value} onChange={(e) => setValue(e.target.value)} placeholder="00000000-0000-0000-0000-000000000000" aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} spellCheck={false} />
          {error ? (
            <p id={`${id}-error`} className="field-error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
        <div className="button-row">
          <button type="submit" className="primary">
            {t('findCase.open')}
          </button>
          <button type="button" onClick={(e) => go(e, true)}>
            {t('findCase.replay')}
          </button>
        </div>
      </form>
    </section>
  );
}

function NotFound({ path }: { path: string }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t('notFound.title')}
      </h1>
      <p>{t('notFound.body', { path })}</p>
      <Link to={{ name: 'home' }}>{t('notFound.home')}</Link>
    </section>
  );
}

function View({ route }: { route: Route }) {
  const { me } = useSession();
  useEffect(() => {
    if (me && (route.name === 'home' || route.name === 'sign-in')) navigate(homeOf(me.role), { replace: true });
  }, [me, route.name]);
  switch (route.name) {
    case 'overview':
      return <OverviewView route={route} />;
    case 'case':
      return <CaseTimelineView id={route.id} />;
    case 'replay':
      return <ReplayView id={route.id} position={route.position} at={route.at} />;
    case 'workload':
      return <WorkloadView providerId={route.providerId} />;
    case 'complaints':
      return <ComplaintsView status={route.status} providerId={route.providerId} />;
    case 'find-case':
      return <FindCase />;
    case 'not-found':
      return <NotFound path={route.path} />;
    default:
      return null;
  }
}

export function App() {
  const { t } = useI18n();
  const { status, me, signOut } = useSession();
  const names = useNames();
  const reference = useReference();
  const route = useRoute();
  const main = useRef<HTMLElement>(null);
  const firstRoute = useRef(true);
  const routeKey = JSON.stringify(route);

  // A new view moves the focus to its heading, so keyboard and screen-reader users start at its top.
  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    const heading = document.getElementById('page-title');
    (heading ?? main.current)?.focus();
  }, [route.name, status]);
  useEffect(() => {
    if (route.name !== 'replay' && route.name !== 'overview') window.scrollTo(0, 0);
  }, [routeKey, route.name]);

  const skip = (e: MouseEvent<HTMLAnchorElement>) => {
    e.preventDefault();
    main.current?.focus();
  };

  const menu = me ? (MENU[me.role] ?? ['findCase']) : [];
  return (
    <>
      <a className="skip-link" href="#main" onClick={skip}>
        {t('app.skip')}
      </a>
      <header className="app-header">
        <div className="brand">
          <Link to={{ name: 'home' }} className="brand-link">
            {t('app.title')}
          </Link>
          <span className="muted small">{t('app.timeZone')}</span>
        </div>
        {me ? (
          <nav aria-label={t('app.nav')}>
            <ul>
              {menu.map((k) => (
                <li key={k}>
                  <Link to={NAV[k].route} aria-current={NAV[k].matches.includes(route.name) ? 'page' : undefined}>
                    {t(NAV[k].key)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <div className="header-tools">
          <LanguageSwitch />
          {me ? (
            <div className="who">
              <span data-testid="signed-in-as">
                {names.role(me.role)}
                {me.providerId ? ` · ${names.provider(me.providerId)}` : ''}
              </span>
              <button
                type="button"
                onClick={() => {
                  signOut('signed-out');
                  navigate({ name: 'home' });
                }}
              >
                {t('app.signOut')}
              </button>
            </div>
          ) : null}
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {reference.error ? <ErrorState error={reference.error} what={t('app.referenceWhat')} /> : null}
        {status === 'checking' ? <LoadingState what={t('app.session')} /> : status === 'signed-out' ? <SignInView /> : <View route={route} />}
      </main>
      <footer className="app-footer muted small">
        {t('app.footer')} · <a href="/docs">{t('app.apiDocs')}</a>
      </footer>
    </>
  );
}
