import { ApolloProvider, useMutation, useQuery } from '@apollo/client/react';
import {
  Feature,
  PricingTable,
  TollgateProvider,
  UsageMeter,
  useConsume,
  useCurrentPlan,
  type PricingPlan,
  type UpgradeOfferFields,
} from '@tollgate/sdk/react';
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { buyPlan, readCheckoutReturn } from './checkout.js';
import { CheckoutStatus } from './checkout-status.js';
import { createHostClient, CREATE_NOTE, EXPORT_NOTES, fetchClientToken, NOTES } from './host-api.js';

/** The notes product: no plan names anywhere, only features. */
export function App({ accountId }: { accountId: string }) {
  const host = useMemo(() => createHostClient(accountId), [accountId]);
  const token = useMemo(() => () => fetchClientToken(accountId), [accountId]);
  // Back from Stripe Checkout (?checkout=success or canceled): read once, when the page loads.
  const [checkoutReturn] = useState(() => readCheckoutReturn(window.location.search));
  const onUpgrade = async (offer: UpgradeOfferFields) => {
    if (offer.kind !== 'PLAN') throw new Error('Add-ons are bought on the billing page in this example.');
    await buyPlan(host, offer.key);
  };
  // The pricing table's choice goes through the same checkout.
  const onSelectPlan = async (plan: PricingPlan) => {
    await buyPlan(host, plan.key);
  };
  return (
    <ApolloProvider client={host}>
      <TollgateProvider accountId={accountId} url="/graphql" token={token} onUpgrade={onUpgrade}>
        <header className="app-header">
          <h1>Notes</h1>
          <PlanBadge />
        </header>
        <main className="app-main">
          {checkoutReturn ? <CheckoutStatus checkout={checkoutReturn} /> : null}
          <section aria-labelledby="usage-title" className="card">
            <h2 id="usage-title">Usage</h2>
            <UsageMeter feature="notes" />
          </section>
          <section aria-labelledby="notes-title" className="card">
            <h2 id="notes-title">Your notes</h2>
            <NoteForm />
            <NoteList />
          </section>
          <div className="card-row">
            <section aria-labelledby="export-title" className="card">
              <h2 id="export-title">Export</h2>
              <Feature name="export_csv">
                <ExportButton />
              </Feature>
            </section>
            <section aria-labelledby="sso-title" className="card">
              <h2 id="sso-title">Sign-in</h2>
              <Feature name="sso">
                <p className="muted">Single sign-on is on for your team.</p>
              </Feature>
            </section>
          </div>
          <section aria-labelledby="plans-title" className="card">
            <h2 id="plans-title">Plans</h2>
            <PricingTable feature="notes" onSelect={onSelectPlan} />
          </section>
        </main>
        <footer className="app-footer">
          <ThemeSwitch />
        </footer>
      </TollgateProvider>
    </ApolloProvider>
  );
}

/** The current plan with no query of the app's own: name, trial end, add-ons. */
function PlanBadge() {
  const { plan, status, trialEndsAt, addOns } = useCurrentPlan();
  if (!plan) return <p className="plan-badge"> </p>;
  const trial = status === 'TRIALING' && trialEndsAt
    ? `Trial until ${new Date(trialEndsAt).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' })}`
    : null;
  const extras = addOns.map((addOn) => `${addOn.quantity} × ${addOn.name}`).join(', ');
  return (
    <p className="plan-badge">
      <span className="plan-badge__name">{`Plan: ${plan.name}`}</span>
      {trial ? <span className="plan-badge__status">{trial}</span> : null}
      {status === 'PAST_DUE' ? <span className="plan-badge__status">Payment due</span> : null}
      {extras ? <span className="plan-badge__status">{extras}</span> : null}
    </p>
  );
}

type Theme = 'system' | 'light' | 'dark';

/** Follows the system by default; data-theme on <html> forces light or dark, the SDK's components included. */
function ThemeSwitch() {
  const [theme, setTheme] = useState<Theme>(() => (document.documentElement.dataset.theme as Theme | undefined) ?? 'system');
  const choose = (next: Theme) => {
    setTheme(next);
    if (next === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = next;
  };
  return (
    <label className="theme-switch">
      Theme
      <select value={theme} onChange={(event) => choose(event.target.value as Theme)}>
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
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
