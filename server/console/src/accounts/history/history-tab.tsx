import { useQuery } from '@apollo/client/react';
import { Link, useSearchParams } from 'react-router';
import { AccountHistoryDocument } from '../../generated/graphql.js';
import type { ActorKind } from '../../generated/graphql.js';
import { Badge, DiffView, Empty, ErrorNote, Skeleton, TimeText } from '../../ui/index.js';
import { actionWords } from './action-words.js';

const PAGE_SIZE = 20;

/** Who made a change, when it was not a person signed in to the console. */
const ACTOR_KIND_WORDS: Record<ActorKind, string> = {
  OPERATOR: 'person',
  API_KEY: 'API key',
  STRIPE: 'Stripe',
  LIFECYCLE: 'on schedule',
  RECONCILIATION: 'reconciliation',
  MIGRATION: 'plan migration',
};

/** The feature an override (or a request for one) is about, read from its audited snapshot. */
function featureOf(before: unknown, after: unknown): string | null {
  for (const snapshot of [after, before]) {
    const value = snapshot as { feature?: unknown; input?: { feature?: unknown } } | null;
    if (typeof value?.feature === 'string') return value.feature;
    if (typeof value?.input?.feature === 'string') return value.input.feature;
  }
  return null;
}

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
          {log.edges.map(({ node }, index) => (
            <li key={node.id} className="history__entry">
              <div className="history__head">
                <p>
                  <strong>{node.actor}</strong> {node.actorKind !== 'OPERATOR' ? <Badge tone="neutral">{ACTOR_KIND_WORDS[node.actorKind]}</Badge> : null} {actionWords(node.action)}
                  {featureOf(node.before, node.after) ? <span className="mono"> {featureOf(node.before, node.after)}</span> : null}
                </p>
                <TimeText iso={node.at} />
              </div>
              {node.reason ? <p className="history__reason">“{node.reason}”</p> : null}
              {/* The newest few are open: what support reads first. */}
              <details className="history__diff" open={index < 5}>
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
