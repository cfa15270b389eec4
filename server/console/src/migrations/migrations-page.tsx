import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { useDocumentTitle } from '../app/use-document-title.js';
import { useMay } from '../auth/session.js';
import { PlanMigrationListDocument } from '../generated/graphql.js';
import { Badge, Empty, ErrorNote, formatQuantity, Skeleton, TimeText } from '../ui/index.js';
import { routeWords, STATUS_BADGE } from './migration-words.js';
import '../catalog/pricing.css';

/** Plan migrations, newest first (each opens its progress and per-account outcomes), and "New migration" for those who may. */
export default function MigrationsPage() {
  useDocumentTitle('Migrations');
  const mayStart = useMay('EDIT_CATALOG');
  const list = useQuery(PlanMigrationListDocument, { fetchPolicy: 'cache-and-network' });
  const migrations = list.data?.planMigrations;
  return (
    <div className="page pricing">
      <div className="card__head">
        <h1>Migrations</h1>
        {mayStart ? (
          <Link className="tg-button tg-button--primary" to="/migrations/new">
            New migration
          </Link>
        ) : null}
      </div>
      <ErrorNote error={list.error} title="Could not load the migrations" />
      {migrations ? (
        migrations.length ? (
          <div className="tg-table-scroll" role="region" aria-label="Past migrations" tabIndex={0}>
            <table className="tg-table">
              <caption className="visually-hidden">Past migrations</caption>
              <thead>
                <tr>
                  <th scope="col">Migration</th>
                  <th scope="col">Status</th>
                  <th scope="col">Moved</th>
                  <th scope="col" className="narrow-hidden">
                    Started by
                  </th>
                  <th scope="col" className="narrow-hidden">
                    Reason
                  </th>
                </tr>
              </thead>
              <tbody>
                {migrations.map((migration) => (
                  <tr key={migration.id}>
                    <td>
                      <div className="stack-tight">
                        <Link to={`/migrations/${migration.id}`} className="strong">
                          {routeWords(migration)}
                        </Link>
                        <TimeText iso={migration.startedAt} />
                      </div>
                    </td>
                    <td>
                      <Badge tone={STATUS_BADGE[migration.status].tone}>{STATUS_BADGE[migration.status].words}</Badge>
                    </td>
                    <td>
                      {formatQuantity(migration.migrated)} of {formatQuantity(migration.total)}
                    </td>
                    <td className="narrow-hidden">{migration.actor}</td>
                    <td className="narrow-hidden">{migration.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <Empty title="No migration yet">A migration moves accounts from older versions of a plan to a newer one, after a preview.</Empty>
        )
      ) : list.error ? null : (
        <Skeleton lines={4} label="Loading the migrations" />
      )}
    </div>
  );
}
