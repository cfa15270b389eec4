import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useDocumentTitle } from '../app/use-document-title.js';
import { OverrideRequestsDocument, type OverrideRequestStatus } from '../generated/graphql.js';
import { Empty, ErrorNote, Skeleton } from '../ui/index.js';
import { RequestList } from './request-list.js';
import { useOverrideRequestsLive } from './use-override-requests-live.js';

const STATUSES: { value: OverrideRequestStatus; label: string }[] = [
  { value: 'PENDING', label: 'Waiting' },
  { value: 'APPROVED', label: 'Approved' },
  { value: 'REJECTED', label: 'Rejected' },
];
const PAGE_SIZE = 25;

/**
 * The approvals inbox: override requests across accounts (`?status=`, waiting ones first), live as
 * they are made and decided, with approve and reject for those who may. Older pages are links.
 */
export default function ApprovalsPage() {
  useDocumentTitle('Approvals');
  const [params] = useSearchParams();
  const status = STATUSES.find((entry) => entry.value === params.get('status'))?.value ?? 'PENDING';
  const after = params.get('after');
  const [notice, setNotice] = useState('');
  const requests = useQuery(OverrideRequestsDocument, { variables: { status, first: PAGE_SIZE, after } });
  useOverrideRequestsLive(null);
  const list = requests.data?.overrideRequests;
  return (
    <div className="page">
      <h1>Approvals</h1>
      <nav aria-label="Which requests" className="segmented">
        {STATUSES.map((entry) => (
          <Link key={entry.value} to={`?status=${entry.value}`} aria-current={status === entry.value ? 'page' : undefined} className="segmented__item">
            {entry.label}
          </Link>
        ))}
      </nav>
      <p className="notice" role="status" aria-live="polite">
        {notice}
      </p>
      <ErrorNote error={requests.error} title="Could not load the requests" />
      {list ? (
        list.edges.length ? (
          <RequestList requests={list.edges.map((edge) => edge.node)} showAccount onDone={setNotice} />
        ) : (
          <Empty title={status === 'PENDING' ? 'Nothing waits for approval' : 'No requests here'}>
            {status === 'PENDING' ? 'New requests appear here as they are made.' : null}
          </Empty>
        )
      ) : requests.error ? null : (
        <Skeleton lines={4} label="Loading the requests" />
      )}
      {list ? (
        <nav className="pager" aria-label="Request pages">
          {after ? <Link to={`?status=${status}`}>Newest</Link> : null}
          {list.pageInfo.hasNextPage && list.pageInfo.endCursor ? <Link to={`?status=${status}&after=${encodeURIComponent(list.pageInfo.endCursor)}`}>Older requests</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}
