import { Link } from 'react-router';
import { useMay, useSession } from '../auth/session.js';
import type { OverrideRequestFieldsFragment } from '../generated/graphql.js';
import { Badge, TimeText } from '../ui/index.js';
import { effectWords } from '../accounts/access/reason-words.js';
import { DecideRequest } from './decide-request.js';

const STATUS_TONE = { PENDING: 'warn', APPROVED: 'ok', REJECTED: 'neutral' } as const;

/**
 * Override requests as cards: what is asked for whom and until when, who asked and why, and (for
 * a pending one, to those who may decide, never the requester) approve and reject.
 */
export function RequestList({ requests, showAccount, onDone }: { requests: OverrideRequestFieldsFragment[]; showAccount: boolean; onDone(message: string): void }) {
  const mayDecide = useMay('APPROVE_OVERRIDE');
  const { operator } = useSession();
  return (
    <ul className="requests" aria-label="Override requests">
      {requests.map((request) => {
        const { input } = request;
        const own = request.requestedBy === operator.email;
        return (
          <li key={request.id} className="request">
            <div className="request__main">
              <p className="request__what">
                <strong>{effectWords(input.effect, input.value ?? null)}</strong> on <span className="mono">{input.feature}</span>
                {showAccount ? (
                  <>
                    {' '}
                    for <Link to={`/accounts/${encodeURIComponent(input.accountId)}/access?feature=${encodeURIComponent(input.feature)}`}>{input.accountId}</Link>
                  </>
                ) : null}
                , {input.permanent ? 'permanently' : <>until <TimeText iso={input.endsAt} mode="absolute" /></>}
              </p>
              <p className="request__reason">“{input.reason}”</p>
              <p className="tg-muted">
                Asked by {request.requestedBy} <TimeText iso={request.requestedAt} mode="relative" />
                {request.decidedBy ? (
                  <>
                    {' '}
                    · {request.status === 'APPROVED' ? 'approved' : 'rejected'} by {request.decidedBy} <TimeText iso={request.decidedAt} mode="relative" />
                    {request.decisionNote ? `: “${request.decisionNote}”` : ''}
                  </>
                ) : null}
              </p>
            </div>
            <div className="request__side">
              <Badge tone={STATUS_TONE[request.status]}>{request.status === 'PENDING' ? 'Waiting for approval' : request.status === 'APPROVED' ? 'Approved' : 'Rejected'}</Badge>
              {request.status === 'PENDING' && mayDecide && !own ? <DecideRequest request={request} onDone={onDone} /> : null}
              {request.status === 'PENDING' && own ? <span className="tg-muted">Another person approves it.</span> : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
