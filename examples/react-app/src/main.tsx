import '@tollgate/sdk/styles.css';
import './app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';

// Stands in for the product's session: ?account=… picks the signed-in account.
const accountId = new URLSearchParams(window.location.search).get('account') ?? 'acme';
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App accountId={accountId} />
  </StrictMode>,
);
