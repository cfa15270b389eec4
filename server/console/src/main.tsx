import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.js';
import { createConsoleClient } from './app/apollo-client.js';
import './theme/theme.css';
import './ui/ui.css';
import './app/app.css';

const { client } = createConsoleClient({ onSignedOut: () => location.assign('/console/sign-in') });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApolloProvider client={client}>
      <App operator={{ id: 'admin', email: 'admin', name: 'Admin', role: 'OWNER' }} />
    </ApolloProvider>
  </StrictMode>,
);
