import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useDocumentTitle } from '../app/use-document-title.js';
import { useMay } from '../auth/session.js';
import { CatalogDeskDocument, DeskPublishPlanVersionDocument } from '../generated/graphql.js';
import { Badge, Button, Dialog, DialogActions, DialogClose, Empty, ErrorNote, Fact, formatDateTime, formatQuantity, Skeleton } from '../ui/index.js';
import { replacedVersion, STATUS_TONE, STATUS_WORDS, type DeskFeature, type DeskPlan, type DeskVersion } from './catalog-types.js';
import { DraftEditor } from './draft-editor.js';
import { VersionDiff } from './version-diff.js';
import './pricing.css';

/**
 * One plan version (/catalog/<plan>/<version>): its terms, how many accounts are on it, what
 * changed from the version it replaces and, for a draft, the editor and publishing.
 */
export default function VersionPage() {
  const { plan: planKey = '', version: versionText = '' } = useParams();
  useDocumentTitle(`${planKey} v${versionText}`);
  const catalog = useQuery(CatalogDeskDocument);
  const plan = catalog.data?.plans.find((entry) => entry.key === planKey);
  const version = plan?.versions.find((entry) => String(entry.version) === versionText);
  if (!catalog.data) {
    return (
      <div className="page pricing">
        <ErrorNote error={catalog.error} title="Could not load the catalog" />
        {catalog.error ? null : <Skeleton lines={6} label="Loading the version" />}
      </div>
    );
  }
  if (!plan || !version) {
    return (
      <div className="page pricing">
        <Empty title={`No version ${versionText} of plan ${planKey}`} action={<Link to="/catalog">Back to the catalog</Link>} />
      </div>
    );
  }
  return <VersionView key={version.id} plan={plan} version={version} features={catalog.data.features} />;
}

function VersionView({ plan, version, features }: { plan: DeskPlan; version: DeskVersion; features: DeskFeature[] }) {
  const mayEdit = useMay('EDIT_CATALOG');
  const [notice, setNotice] = useState('');
  const [dirty, setDirty] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [publish, published] = useMutation(DeskPublishPlanVersionDocument, { refetchQueries: ['CatalogDesk', 'ConsoleCatalog'] });
  const replaced = replacedVersion(plan, version);
  const editing = version.status === 'DRAFT' && mayEdit;
  return (
    <div className="page pricing">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/catalog">Catalog</Link> <span aria-hidden="true">›</span> <span>{plan.name}</span>
      </nav>
      <div className="card__head">
        <h1>
          {plan.name} v{version.version}
        </h1>
        <Badge tone={STATUS_TONE[version.status]}>{STATUS_WORDS[version.status]}</Badge>
      </div>
      <dl className="facts">
        <Fact term="Price">
          {version.price.formatted} / {version.interval === 'YEAR' ? 'year' : 'month'}
        </Fact>
        <Fact term="Accounts on it">{formatQuantity(version.subscriptionCount)}</Fact>
        <Fact term="Trial">{version.trialDays ? `${version.trialDays} days` : 'none'}</Fact>
        <Fact term={version.publishedAt ? 'Published' : 'Created'}>{formatDateTime(version.publishedAt ?? version.createdAt)}</Fact>
      </dl>
      <p className="notice" role="status" aria-live="polite">
        {notice}
        {version.status === 'PUBLISHED' && notice ? (
          <>
            {' '}
            <Link to={`/migrations/new?plan=${encodeURIComponent(plan.key)}&to=${version.version}`}>Migrate accounts to v{version.version}</Link>
          </>
        ) : null}
      </p>
      {replaced ? (
        <section className="card" aria-labelledby="diff-title">
          <h2 id="diff-title">
            What changes from v{replaced.version}
            {version.status === 'DRAFT' ? ' (as saved)' : ''}
          </h2>
          <VersionDiff before={replaced} after={version} />
        </section>
      ) : null}
      {editing ? (
        <>
          <DraftEditor version={version} features={features} publishError={published.error} onDirtyChange={setDirty} onSaved={setNotice} />
          <section className="card" aria-labelledby="publish-title">
            <h2 id="publish-title">Publish</h2>
            <p>
              {dirty ? 'Save the draft first: publishing takes what is saved.' : `New subscriptions to ${plan.name} get v${version.version} once it is published; it cannot be edited after.`}
            </p>
            <ErrorNote error={published.error} title="Could not publish" />
            <div className="card__actions">
              <Button variant="primary" disabled={dirty} onClick={() => setConfirming(true)}>
                Publish v{version.version}…
              </Button>
            </div>
          </section>
          <Dialog open={confirming} onOpenChange={setConfirming} title={`Publish ${plan.name} v${version.version}?`} description="Read what it does and does not do.">
            <div className="publish-terms">
              <p className="strong">Publishing does:</p>
              <ul>
                <li>
                  give v{version.version} to every new subscription and plan change to {plan.name} from now on;
                </li>
                <li>freeze v{version.version}: a published version cannot be edited (the next change is a new draft).</li>
              </ul>
              <p className="strong">Publishing does not:</p>
              <ul>
                <li>
                  move any existing account: {replaced ? `the ${formatQuantity(replaced.subscriptionCount)} accounts on v${replaced.version}` : 'accounts on older versions'} stay on their version (grandfathered) until a migration moves them;
                </li>
                <li>change anything in Stripe.</li>
              </ul>
            </div>
            <ErrorNote error={published.error} title="Could not publish" />
            <DialogActions>
              <DialogClose asChild>
                <Button>Cancel</Button>
              </DialogClose>
              <Button
                variant="primary"
                busy={published.loading}
                onClick={async () => {
                  try {
                    await publish({ variables: { plan: plan.key, version: version.version } });
                    setConfirming(false);
                    setNotice(`${plan.name} v${version.version} is published: new subscriptions get it. Existing accounts stay on their version.`);
                  } catch {
                    setConfirming(false);
                  }
                }}
              >
                Publish v{version.version}
              </Button>
            </DialogActions>
          </Dialog>
        </>
      ) : (
        <section className="card" aria-labelledby="ent-title">
          <h2 id="ent-title">Entitlements</h2>
          <EntitlementTable version={version} />
          {version.status === 'PUBLISHED' && mayEdit ? (
            <p>
              <Link to={`/migrations/new?plan=${encodeURIComponent(plan.key)}&to=${version.version}`}>Migrate accounts to v{version.version}</Link>
            </p>
          ) : null}
        </section>
      )}
    </div>
  );
}

function EntitlementTable({ version }: { version: DeskVersion }) {
  return (
    <div className="tg-table-scroll" role="region" aria-label={`Entitlements of v${version.version}`} tabIndex={0}>
      <table className="tg-table row-heads">
        <caption className="visually-hidden">Entitlements of v{version.version}</caption>
        <thead>
          <tr>
            <th scope="col">Feature</th>
            <th scope="col">Enabled</th>
            <th scope="col">Limit</th>
            <th scope="col">Period</th>
            <th scope="col" className="narrow-hidden">
              Soft limit
            </th>
            <th scope="col" className="narrow-hidden">
              Overage
            </th>
          </tr>
        </thead>
        <tbody>
          {version.entitlements.map((entitlement) => (
            <tr key={entitlement.feature}>
              <th scope="row" className="mono">
                {entitlement.feature}
              </th>
              <td>{entitlement.enabled ? 'yes' : 'no'}</td>
              <td>{formatQuantity(entitlement.limit)}</td>
              <td>{entitlement.period === 'NEVER' ? '—' : entitlement.period.toLowerCase().replace('_', ' ')}</td>
              <td className="narrow-hidden">{entitlement.softLimitPercent}%</td>
              <td className="narrow-hidden">{entitlement.overage.toLowerCase()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
