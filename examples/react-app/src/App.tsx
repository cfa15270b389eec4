import { ApolloProvider, useMutation, useQuery } from '@apollo/client/react';
import { Feature, TollgateProvider, UsageMeter, useConsume, useEntitlement, type UpgradeOfferFields } from '@tollgate/sdk/react';
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { createHostClient, CREATE_NOTE, EXPORT_NOTES, fetchClientToken, NOTES, UPGRADE_PLAN } from './host-api.js';

/** The notes product: no plan names anywhere, only features. */
export function App({ accountId }: { accountId: string }) {
  const host = useMemo(() => createHostClient(accountId), [accountId]);
  const token = useMemo(() => () => fetchClientToken(accountId), [accountId]);
  const onUpgrade = async (offer: UpgradeOfferFields) => {
    if (offer.kind !== 'PLAN') throw new Error('Add-ons are bought on the billing page in this example.');
    await host.mutate({ mutation: UPGRADE_PLAN, variables: { plan: offer.key } });
  };
  return (
    <ApolloProvider client={host}>
      <TollgateProvider accountId={accountId} url="/graphql" token={token} onUpgrade={onUpgrade}>
        <header className="app-header">
          <h1>Notes</h1>
          <PlanBadge />
        </header>
        <main className="app-main">
          <section aria-labelledby="usage-title" className="card">
            <h2 id="usage-title">Usage</h2>
            <UsageMeter feature="notes" />
          </section>
          <section aria-labelledby="notes-title" className="card">
            <h2 id="notes-title">Your notes</h2>
            <NoteForm />
            <NoteList />
          </section>
          <section aria-labelledby="export-title" className="card">
            <h2 id="export-title">Export</h2>
            <Feature name="export_csv">
              <ExportButton />
            </Feature>
          </section>
        </main>
      </TollgateProvider>
    </ApolloProvider>
  );
}

function PlanBadge() {
  const { entitlement } = useEntitlement('notes');
  return <p className="plan-badge">{entitlement?.plan ? `Plan: ${entitlement.plan.name}` : ' '}</p>;
}

function NoteForm() {
  const [title, setTitle] = useState('');
  const submitted = useRef('');
  const [createNote] = useMutation(CREATE_NOTE, { refetchQueries: [NOTES] });
  const { consume, loading } = useConsume('notes', () => createNote({ variables: { title: submitted.current } }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = title.trim();
    if (!value) return;
    submitted.current = value;
    setTitle('');
    const outcome = await consume();
    // Refused or failed: give the text back, so nothing typed is lost.
    if (!outcome.ok) setTitle((current) => current || value);
  };
  return (
    <form className="note-form" onSubmit={submit}>
      <label htmlFor="note-title">Note title</label>
      <input id="note-title" value={title} onChange={(event) => setTitle(event.target.value)} />
      <button type="submit" disabled={loading}>Add note</button>
    </form>
  );
}

function NoteList() {
  const { data } = useQuery(NOTES);
  const notes = data?.notes ?? [];
  if (notes.length === 0) return <p className="muted">No notes yet.</p>;
  return (
    <ul className="note-list" aria-label="Notes">
      {notes.map((note) => <li key={note.id}>{note.title}</li>)}
    </ul>
  );
}

function ExportButton() {
  const [exportNotes, { data }] = useMutation(EXPORT_NOTES);
  const rows = data ? data.exportNotes.split('\n').length - 1 : null;
  return (
    <div className="export">
      <button type="button" onClick={() => exportNotes()}>Export CSV</button>
      {rows !== null ? <p role="status">{`Exported ${rows} notes.`}</p> : null}
    </div>
  );
}
