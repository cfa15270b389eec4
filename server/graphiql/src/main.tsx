import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './tollgate-ide.css';
import { GraphiQL } from 'graphiql';
import { StrictMode, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { CredentialBar } from './credential-bar.js';
import { tollgateFetcher } from './tollgate-fetcher.js';

/** Where this tab keeps the credential: gone when the tab closes. */
const CREDENTIAL_KEY = 'tollgate.graphiql.credential';

const DEFAULT_QUERY = `# Tollgate's GraphQL API. Enter a credential above, then run a query (Ctrl+Enter).
query Entitlement {
  entitlement(accountId: "acme", feature: "export_csv") {
    allowed
    reason
    limit
    remaining
    plan { key version }
  }
}
`;

/** The IDE: the credential field above GraphiQL, which gets a new fetcher (and loads the schema again) when it changes. */
function TollgateIde() {
  const [credential, setCredential] = useState(() => sessionStorage.getItem(CREDENTIAL_KEY) ?? '');
  const fetcher = useMemo(() => tollgateFetcher(window.location, credential), [credential]);
  const use = (next: string) => {
    if (next) sessionStorage.setItem(CREDENTIAL_KEY, next);
    else sessionStorage.removeItem(CREDENTIAL_KEY);
    setCredential(next);
  };
  return (
    <div className="tollgate-ide">
      <CredentialBar credential={credential} onChange={use} />
      <main className="tollgate-ide__graphiql">
        {/* A new key remounts GraphiQL, so it loads the schema with the new credential. */}
        <GraphiQL key={credential} fetcher={fetcher} defaultQuery={DEFAULT_QUERY} />
      </main>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <TollgateIde />
  </StrictMode>,
);
