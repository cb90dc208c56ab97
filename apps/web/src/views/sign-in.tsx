import { useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError, getJson, postJson } from '../api.js';
import { ErrorState } from '../components/ui.js';
import { useI18n } from '../i18n/context.js';
import { useNames, useReference } from '../reference.js';
import { useSession } from '../session.js';

interface DemoRoles {
  roles: string[];
  providerRoles: string[];
}

/** Paste a token; where the server mints demo tokens, also pick a role (and a provider for provider roles). */
export function SignInView() {
  const { t } = useI18n();
  const { signIn, notice } = useSession();
  const names = useNames();
  const { providers } = useReference();
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [demo, setDemo] = useState<DemoRoles | 'off' | 'checking'>('checking');
  const [role, setRole] = useState('quality-control');
  const [providerId, setProviderId] = useState('');
  const ids = { token: useId(), tokenHelp: useId(), role: useId(), provider: useId(), providerHelp: useId() };

  useEffect(() => {
    let live = true;
    getJson<DemoRoles>('/v1/auth/demo-roles', null).then(
      (roles) => live && setDemo(roles),
      () => live && setDemo('off'),
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    if (!providerId && providers.length) setProviderId(providers[0].id);
  }, [providers, providerId]);

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const submitToken = (e: FormEvent) => {
    e.preventDefault();
    if (!token.trim()) {
      setError(new ApiError({ status: 400, title: t('signIn.tokenMissing') }));
      return;
    }
    void run(() => signIn(token));
  };

  const submitDemo = (e: FormEvent) => {
    e.preventDefault();
    if (demo === 'off' || demo === 'checking') return;
    const scoped = demo.providerRoles.includes(role);
    void run(async () => {
      const minted = await postJson<{ token: string }>('/v1/auth/demo-token', null, { role, ...(scoped ? { providerId } : {}) });
      await signIn(minted.token);
    });
  };

  const scoped = demo !== 'off' && demo !== 'checking' && demo.providerRoles.includes(role);

  return (
    <section className="sign-in" aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t('signIn.title')}
      </h1>
      <p className="lead">{t('signIn.intro')}</p>
      {notice === 'expired' ? (
        <p className="state state-error" role="alert">
          {t('signIn.expired')}
        </p>
      ) : null}
      {error ? <ErrorState error={error} what={t('signIn.what')} title={t('signIn.failed')} /> : null}
      <div className="sign-in-grid">
        {demo !== 'off' ? (
          <form className="card" onSubmit={submitDemo} aria-labelledby="demo-title">
            <h2 id="demo-title">{t('signIn.demoTitle')}</h2>
            {demo === 'checking' ? (
              <p role="status">{t('signIn.demoChecking')}</p>
            ) : (
              <>
                <p>{t('signIn.demoIntro')}</p>
                <div className="field">
                  <label htmlFor={ids.role}>{t('signIn.role')}</label>
                  <select id={ids.role} value={role} onChange={(e) => setRole(e.target.value)}>
                    {demo.roles.map((r) => (
                      <option key={r} value={r}>
                        {names.role(r)}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor={ids.provider}>{t('signIn.provider')}</label>
                  <select id={ids.provider} value={providerId} onChange={(e) => setProviderId(e.target.value)} disabled={!scoped} aria-describedby={ids.providerHelp}>
                    {providers.map((p) => (
                      <option key={p.id} value={p.id}>
                        {names.provider(p.id)}
                      </option>
                    ))}
                  </select>
                  <p id={ids.providerHelp} className="help">
                    {scoped ? t('signIn.providerHelp') : t('signIn.providerNotNeeded', { role: names.role(role) })}
                  </p>
                </div>
                <button type="submit" className="primary" disabled={busy}>
                  {t('signIn.submitDemo')}
                </button>
              </>
            )}
          </form>
        ) : null}
        <form className="card" onSubmit={submitToken} aria-labelledby="token-title">
          <h2 id="token-title">{t('signIn.tokenTitle')}</h2>
          {demo === 'off' ? <p>{t('signIn.demoOff')}</p> : null}
          <div className="field">
            <label htmlFor={ids.token}>{t('signIn.tokenLabel')}</label>
            <textarea id={ids.token} value={token} onChange={(e) => setToken(e.target.value)} rows={4} spellCheck={false} autoComplete="off" aria-describedby={ids.tokenHelp} />
            <p id={ids.tokenHelp} className="help">
              {t('signIn.tokenHelp')}
            </p>
          </div>
          <button type="submit" disabled={busy}>
            {t('signIn.submitToken')}
          </button>
        </form>
      </div>
      {busy ? (
        <p role="status" className="state state-loading">
          {t('signIn.checking')}
        </p>
      ) : null}
    </section>
  );
}
