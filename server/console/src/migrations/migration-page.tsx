import { useQuery } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useDocumentTitle } from '../app/use-document-title.js';
import { PlanMigrationDetailDocument, type PlanMigrationOutcome } from '../generated/graphql.js';
import { Badge, Empty, ErrorNote, Fact, formatQuantity, Skeleton, TimeText } from '../ui/index.js';
import { OUTCOME_BADGE, REASON_WORDS, routeWords, STATUS_BADGE } from './migration-words.js';
import '../catalog/pricing.css';

const OUTCOMES: PlanMigrationOutcome[] = ['MIGRATED', 'SKIPPED', 'FAILED', 'PENDING'];
/** How often a running migration is read again: the server moves 500 accounts a batch. */
const POLL_MS = 1000;

/**
 * One migration (/migrations/<id>): its progress, read again every second while it runs (the
 * server keeps the counters per batch), and what it did with each account (`?outcome=`).
 */
export default function MigrationPage() {
  const { migrationId = '' } = useParams();
  useDocumentTitle('Migration');
  const [params] = useSearchParams();
  const outcome = OUTCOMES.find((entry) => entry === params.get('outcome')) ?? null;
  const [running, setRunning] = useState(true);
  const detail = useQuery(PlanMigrationDetailDocument, { variables: { id: migrationId, outcome }, pollInterval: running ? POLL_MS : 0 });
  const migration = detail.data?.planMigration;
  const status = migration?.status;
  // Stop reading once it is done: a finished migration does not change.
  useEffect(() => {
    if (status && status !== 'RUNNING') setRunning(false);
  }, [status]);
  if (!detail.data) {
    return (
      <div className="page pricing">
        <ErrorNote error={detail.error} title="Could not load the migration" />
        {detail.error ? null : <Skeleton lines={5} label="Loading the migration" />}
      </div>
    );
  }
  if (!migration) {
    return (
      <div className="page pricing">
        <Empty title="No such migration" action={<Link to="/migrations">All migrations</Link>} />
      </div>
    );
  }
  const done = migration.migrated + migration.skipped + migration.failed;
  const percent = migration.total ? Math.round((done / migration.total) * 100) : 100;
  return (
    <div className="page pricing">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/migrations">Migrations</Link>
      </nav>
      <div className="card__head">
        <h1>{routeWords(migration)}</h1>
        <Badge tone={STATUS_BADGE[migration.status].tone}>{STATUS_BADGE[migration.status].words}</Badge>
      </div>
      <section className="card" aria-labelledby="progress-title">
        <h2 id="progress-title">Progress</h2>
        <div className="migration-progress">
          <progress max={migration.total} value={done} aria-labelledby="progress-title" />
          <p role="status" aria-live="polite" className="migration-progress__words">
            {migration.status === 'RUNNING'
              ? `${formatQuantity(done)} of ${formatQuantity(migration.total)} accounts done (${percent}%)…`
              : migration.status === 'COMPLETED'
                ? `Completed: ${formatQuantity(migration.migrated)} moved, ${formatQuantity(migration.skipped)} skipped, ${formatQuantity(migration.failed)} failed.`
                : `Stopped: ${migration.error ?? 'an error'}. Starting the same migration again resumes it.`}
          </p>
        </div>
        <dl className="facts">
          <Fact term="Moved">{formatQuantity(migration.migrated)}</Fact>
          <Fact term="Skipped">{formatQuantity(migration.skipped)}</Fact>
          <Fact term="Failed">{formatQuantity(migration.failed)}</Fact>
          <Fact term="Waiting">{formatQuantity(migration.pending)}</Fact>
          <Fact term="Effective">{migration.effective === 'NOW' ? 'At once' : 'At each period end'}</Fact>
          <Fact term="Started by">{migration.actor}</Fact>
          <Fact term="Started">
            <TimeText iso={migration.startedAt} />
          </Fact>
          <Fact term="Finished">
            <TimeText iso={migration.finishedAt} />
          </Fact>
        </dl>
        <p>
          <span className="tg-muted">Reason:</span> “{migration.reason}”
        </p>
      </section>
      <section className="card" aria-labelledby="outcomes-title">
        <h2 id="outcomes-title">Accounts</h2>
        <nav aria-label="Which accounts" className="segmented migration-outcomes">
          <Link to="?" aria-current={outcome === null ? 'page' : undefined} className="segmented__item">
            All
          </Link>
          {OUTCOMES.map((entry) => (
            <Link key={entry} to={`?outcome=${entry}`} aria-current={outcome === entry ? 'page' : undefined} className="segmented__item">
              {OUTCOME_BADGE[entry].words}
            </Link>
          ))}
        </nav>
        {migration.accounts.edges.length ? (
          <div className="tg-table-scroll" role="region" aria-label="Per-account outcomes" tabIndex={0}>
            <table className="tg-table">
              <caption className="visually-hidden">Per-account outcomes</caption>
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col">From</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {migration.accounts.edges.map(({ node }) => (
                  <tr key={node.accountId}>
                    <td>
                      <Link to={`/accounts/${encodeURIComponent(node.accountId)}`} className="mono">
                        {node.accountId}
                      </Link>
                    </td>
                    <td>v{node.fromVersion}</td>
                    <td>
                      <Badge tone={OUTCOME_BADGE[node.outcome].tone}>{OUTCOME_BADGE[node.outcome].words}</Badge>
                    </td>
                    <td>{node.reason ? REASON_WORDS[node.reason] : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="tg-muted">No account here.</p>
        )}
        {migration.accounts.pageInfo.hasNextPage ? <p className="tg-muted">The first 200 accounts, in id order.</p> : null}
      </section>
    </div>
  );
}
