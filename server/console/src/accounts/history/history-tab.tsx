import { useQuery } from '@apollo/client/react';
import { Link, useSearchParams } from 'react-router';
import { AccountHistoryDocument } from '../../generated/graphql.js';
import { DiffView, Empty, ErrorNote, Skeleton, TimeText } from '../../ui/index.js';
import { actionWords } from './action-words.js';

const PAGE_SIZE = 20;

/**
 * The account's audit trail, newest first, each entry with who did it, why, and a readable
 * before/after. Older pages are links (`?after=<cursor>`), so a ticket can point at one.
 */
export default function HistoryTab({ accountId }: { accountId: string }) {
  const [params] = useSearchParams();
  const after = params.get('after');
  const history = useQuery(AccountHistoryDocument, { variables: { id: accountId, first: PAGE_SIZE, after } });
  const log = history.data?.auditLog;
  if (!log) {
    if (history.error) return <ErrorNote error={history.error} title="Could not load the history" />;
    return <Skeleton lines={6} label="Loading the history" />;
  }
  return (
    <div className="history-tab">
      <ErrorNote error={history.error} title="Could not refresh the history" />
      {log.edges.length ? (
        <ol className="history" aria-label="Changes, newest first">
          {log.edges.map(({ node }) => (
            <li key={node.id} className="history__entry">
              <div className="history__head">
                <p>
                  <strong>{node.actor}</strong> {actionWords(node.action)}
                  {node.entityType === 'override' || node.entityType === 'override_request' ? (
                    <span className="tg-muted"> ({(node.after as { feature?: string } | null)?.feature ?? (node.before as { feature?: string } | null)?.feature ?? node.entityId})</span>
                  ) : null}
                </p>
                <TimeText iso={node.at} />
              </div>
              {node.reason ? <p className="history__reason">“{node.reason}”</p> : null}
              <details className="history__diff">
                <summary>What changed</summary>
                <DiffView before={node.before} after={node.after} label={`What ${actionWords(node.action)} changed`} />
              </details>
            </li>
          ))}
        </ol>
      ) : (
        <Empty title="No changes recorded">Every change to this account (plan, overrides, trial, add-ons, usage corrections) will be listed here.</Empty>
      )}
      <nav className="pager" aria-label="History pages">
        {after ? <Link to="?">Newest</Link> : null}
        {log.pageInfo.hasNextPage && log.pageInfo.endCursor ? <Link to={`?after=${encodeURIComponent(log.pageInfo.endCursor)}`}>Older changes</Link> : null}
      </nav>
    </div>
  );
}
