import { Link } from 'react-router';
import { useMay } from '../auth/session.js';
import type { BillingSyncIssuesQuery } from '../generated/graphql.js';
import { Badge, TimeText } from '../ui/index.js';
import { ISSUE_KIND_WORDS, ISSUE_NEEDS } from './issue-words.js';
import { LinkCustomer } from './link-customer.js';

type SyncIssue = BillingSyncIssuesQuery['billingSyncIssues']['edges'][number]['node'];

/**
 * Sync issues as cards: the Stripe event, what went wrong in the server's words, what it needs, and
 * (for an unknown customer, to those who may link billing) the link action right there. A resolved
 * issue says how.
 */
export function SyncIssueList({ issues, onDone }: { issues: SyncIssue[]; onDone(message: string): void }) {
  const mayLink = useMay('MANAGE_BILLING');
  return (
    <ul className="requests" aria-label="Sync issues">
      {issues.map((issue) => (
        <li key={issue.id} className="request sync-issue">
          <div className="request__main">
            <p className="request__what">
              <Badge tone={issue.resolvedAt ? 'ok' : 'warn'}>{issue.resolvedAt ? 'Resolved' : ISSUE_KIND_WORDS[issue.kind]}</Badge>{' '}
              <span className="mono">{issue.eventType}</span> <span className="tg-muted mono">{issue.eventId}</span>
            </p>
            <dl className="facts facts--compact">
              {issue.customerId ? (
                <div>
                  <dt>Customer</dt>
                  <dd className="mono">{issue.customerId}</dd>
                </div>
              ) : null}
              {issue.subscriptionId ? (
                <div>
                  <dt>Subscription</dt>
                  <dd className="mono">{issue.subscriptionId}</dd>
                </div>
              ) : null}
              {issue.priceIds.length ? (
                <div>
                  <dt>Prices</dt>
                  <dd className="mono">{issue.priceIds.join(', ')}</dd>
                </div>
              ) : null}
              <div>
                <dt>Received</dt>
                <dd>
                  <TimeText iso={issue.createdAt} mode="relative" />
                </dd>
              </div>
            </dl>
            <p>{issue.message}</p>
            {issue.resolvedAt ? (
              <p className="tg-muted">
                Resolved <TimeText iso={issue.resolvedAt} mode="relative" />
                {issue.resolution ? `: ${issue.resolution}` : ''}
              </p>
            ) : (
              <p className="sync-issue__needs">
                <strong>Needs:</strong> {ISSUE_NEEDS[issue.kind]}
              </p>
            )}
          </div>
          {!issue.resolvedAt && issue.kind === 'UNKNOWN_CUSTOMER' && issue.customerId && mayLink ? (
            <div className="request__side">
              <LinkCustomer customerId={issue.customerId} onDone={onDone} />
            </div>
          ) : null}
          {issue.resolvedAt && issue.customerId ? (
            <div className="request__side">
              <Link to={`/accounts?q=${encodeURIComponent(issue.customerId)}`}>Accounts billed as {issue.customerId}</Link>
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
