import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMay } from '../auth/session.js';
import { DeskCreatePlanVersionDocument } from '../generated/graphql.js';
import { Badge, Button, ErrorNote, formatDate, formatQuantity } from '../ui/index.js';
import { STATUS_TONE, STATUS_WORDS, type DeskPlan } from './catalog-types.js';
import { versionInput } from './version-input.js';

/**
 * Every plan as a card: its versions with status, price, trial and how many accounts are on each,
 * each linking to the version's page; "New draft" (for those who may edit the catalog) copies the
 * newest version into a draft and opens it.
 */
export function PlanList({ plans }: { plans: DeskPlan[] }) {
  const mayEdit = useMay('EDIT_CATALOG');
  const navigate = useNavigate();
  const [create, created] = useMutation(DeskCreatePlanVersionDocument, { refetchQueries: ['CatalogDesk'] });
  const [creatingFor, setCreatingFor] = useState<string | null>(null);
  return (
    <div className="stack">
      {plans.map((plan) => {
        const newest = plan.versions[plan.versions.length - 1];
        const draft = plan.versions.find((version) => version.status === 'DRAFT');
        return (
          <section key={plan.key} className="card" aria-labelledby={`plan-${plan.key}`}>
            <div className="card__head">
              <h2 id={`plan-${plan.key}`}>
                {plan.name} <span className="mono tg-muted">{plan.key}</span> {plan.isDefault ? <Badge tone="info">Default plan</Badge> : null}
              </h2>
              {mayEdit ? (
                <div className="card__actions">
                  {draft ? (
                    <Link className="tg-button tg-button--small" to={`/catalog/${encodeURIComponent(plan.key)}/${draft.version}`}>
                      Edit draft v{draft.version}
                    </Link>
                  ) : (
                    <Button
                      size="small"
                      busy={created.loading && creatingFor === plan.key}
                      aria-label={`New draft of ${plan.name}`}
                      onClick={async () => {
                        setCreatingFor(plan.key);
                        try {
                          const result = await create({ variables: { input: newest ? versionInput(newest) : { plan: plan.key, price: { amount: 0, currency: 'USD' }, entitlements: [] } } });
                          const version = result.data?.createPlanVersion.version;
                          if (version) navigate(`/catalog/${encodeURIComponent(plan.key)}/${version}`);
                        } catch {
                          // Shown from created.error.
                        }
                      }}
                    >
                      New draft
                    </Button>
                  )}
                </div>
              ) : null}
            </div>
            {creatingFor === plan.key ? <ErrorNote error={created.error} title="Could not create the draft" /> : null}
            {plan.versions.length ? (
              <div className="tg-table-scroll" role="region" aria-label={`Versions of ${plan.name}`} tabIndex={0}>
                <table className="tg-table">
                  <caption className="visually-hidden">Versions of {plan.name}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Version</th>
                      <th scope="col">Status</th>
                      <th scope="col">Price</th>
                      <th scope="col" className="narrow-hidden">
                        Trial
                      </th>
                      <th scope="col">Accounts</th>
                      <th scope="col" className="narrow-hidden">
                        Published
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {plan.versions.map((version) => (
                      <tr key={version.id}>
                        <td>
                          <Link to={`/catalog/${encodeURIComponent(plan.key)}/${version.version}`}>v{version.version}</Link>
                          {plan.currentVersion?.version === version.version ? <span className="tg-muted"> (current)</span> : null}
                        </td>
                        <td>
                          <Badge tone={STATUS_TONE[version.status]}>{STATUS_WORDS[version.status]}</Badge>
                        </td>
                        <td className="nowrap">
                          {version.price.formatted}
                          <span className="tg-muted">{version.interval === 'YEAR' ? ' a year' : ' a month'}</span>
                        </td>
                        <td className="narrow-hidden">{version.trialDays ? `${version.trialDays} days` : '—'}</td>
                        <td>{formatQuantity(version.subscriptionCount)}</td>
                        <td className="narrow-hidden">{version.publishedAt ? formatDate(version.publishedAt) : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p className="tg-muted">No version yet.</p>
            )}
          </section>
        );
      })}
    </div>
  );
}
