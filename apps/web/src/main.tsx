import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { I18nProvider } from './i18n/context.js';
import { ReferenceProvider } from './reference.js';
import { SessionProvider } from './session.js';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <ReferenceProvider>
          <App />
        </ReferenceProvider>
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
