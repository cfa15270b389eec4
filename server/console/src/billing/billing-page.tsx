import './billing.css';
import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useDocumentTitle } from '../app/use-document-title.js';
import { useMay } from '../auth/session.js';
import { BillingSyncIssuesDocument } from '../generated/graphql.js';
import { Empty, ErrorNote, Skeleton } from '../ui/index.js';
import { Reconciliation } from './reconciliation.js';
import { SyncIssueList } from './sync-issue-list.js';

const PAGE_SIZE = 20;
const SHOWS = [
  { value: 'open', label: 'Open' },
  { value: 'resolved', label: 'Resolved' },
] as const;

/**
 * Billing for finance: Stripe events Tollgate could not map (`?issues=open|resolved`), each with
 * what it needs and, for an unknown customer, the link to an account right there; and
 * reconciliation with Stripe, a dry run first. Everyone reads; BILLING and OWNER act.
 */
export default function BillingPage() {
  useDocumentTitle('Billing');
  const mayAct = useMay('MANAGE_BILLING');
  const [params] = useSearchParams();
  const show = params.get('issues') === 'resolved' ? 'resolved' : 'open';
  const after = params.get('after');
  const [notice, setNotice] = useState('');
  const issues = useQuery(BillingSyncIssuesDocument, { variables: { resolved: show === 'resolved', first: PAGE_SIZE, after } });
  const list = issues.data?.billingSyncIssues;
  return (
    <div className="page">
      <h1>Billing</h1>
      <p className="notice" role="status" aria-live="polite">
        {notice}
      </p>
      <section className="stack" aria-labelledby="sync-issues-title">
        <div className="toolbar">
          <h2 id="sync-issues-title">Sync issues</h2>
          <nav aria-label="Which sync issues" className="segmented">
            {SHOWS.map((entry) => (
              <Link key={entry.value} to={`?issues=${entry.value}`} aria-current={show === entry.value ? 'page' : undefined} className="segmented__item">
                {entry.label}
              </Link>
            ))}
          </nav>
        </div>
        <ErrorNote error={issues.error} title="Could not load the sync issues" />
        {list ? (
          list.edges.length ? (
            <SyncIssueList issues={list.edges.map((edge) => edge.node)} onDone={setNotice} />
          ) : (
            <Empty title={show === 'open' ? 'No open sync issue' : 'No resolved sync issue'}>
              {show === 'open' ? 'Every Stripe event so far mapped to an account and a plan.' : null}
            </Empty>
          )
        ) : issues.error ? null : (
          <Skeleton lines={4} label="Loading the sync issues" />
        )}
        {list ? (
          <nav className="pager" aria-label="Sync issue pages">
            {after ? <Link to={`?issues=${show}`}>Newest</Link> : null}
            {list.pageInfo.hasNextPage && list.pageInfo.endCursor ? <Link to={`?issues=${show}&after=${encodeURIComponent(list.pageInfo.endCursor)}`}>Older issues</Link> : null}
          </nav>
        ) : null}
      </section>
      <Reconciliation mayApply={mayAct} />
    </div>
  );
}
