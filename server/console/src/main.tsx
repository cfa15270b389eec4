import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.js';
import { createConsoleClient } from './app/apollo-client.js';
import { isSigningOut } from './auth/signing-out.js';
import './theme/theme.css';
import './ui/ui.css';
import './app/app.css';

// A session that ends while a page is open (signed out elsewhere, deactivated, expired): sign in again, then come back here.
const { client } = createConsoleClient({
  onSignedOut: () => {
    if (isSigningOut()) return;
    const here = location.pathname.replace(/^\/console/, '') + location.search;
    if (!location.pathname.startsWith('/console/sign-in')) location.assign(`/console/sign-in?next=${encodeURIComponent(here)}`);
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApolloProvider client={client}>
      <App />
    </ApolloProvider>
  </StrictMode>,
);
