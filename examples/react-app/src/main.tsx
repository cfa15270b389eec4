import '@tollgate/sdk/styles.css';
import './app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';

// Stands in for the product's session: ?account=… picks the signed-in account.
const params = new URLSearchParams(window.location.search);
const accountId = params.get('account') ?? 'acme';
// ?theme=dark or ?theme=light forces a theme; without it the page follows the system.
const theme = params.get('theme');
if (theme === 'dark' || theme === 'light') document.documentElement.dataset.theme = theme;
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App accountId={accountId} />
  </StrictMode>,
);
