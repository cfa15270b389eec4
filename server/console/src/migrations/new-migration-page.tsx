import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useDocumentTitle } from '../app/use-document-title.js';
import { useMay } from '../auth/session.js';
import { CatalogDeskDocument, type PlanChangeTiming, type PlanMigrationInput } from '../generated/graphql.js';
import { Button, ErrorNote, Field, Skeleton } from '../ui/index.js';
import { MigrationPreview } from './migration-preview.js';
import '../catalog/pricing.css';

/**
 * Build a migration (/migrations/new?plan=&to=): the plan, its source versions, the target, named
 * accounts, now or at period end; then preview it and start it from the preview.
 */
export default function NewMigrationPage() {
  useDocumentTitle('New migration');
  const mayStart = useMay('EDIT_CATALOG');
  const [params] = useSearchParams();
  const catalog = useQuery(CatalogDeskDocument);
  const plans = catalog.data?.plans ?? [];
  const [planKey, setPlanKey] = useState(params.get('plan') ?? '');
  const plan = plans.find((entry) => entry.key === planKey) ?? plans.find((entry) => entry.versions.some((version) => version.status === 'PUBLISHED'));
  const published = plan?.versions.filter((version) => version.status === 'PUBLISHED') ?? [];
  const [to, setTo] = useState(params.get('to') ?? '');
  const target = published.find((version) => String(version.version) === to) ?? published[published.length - 1];
  const sources = plan?.versions.filter((version) => version.status !== 'DRAFT' && version.version !== target?.version) ?? [];
  const [from, setFrom] = useState<number[] | null>(null);
  const fromVersions = from ?? sources.map((version) => version.version);
  const [accounts, setAccounts] = useState('');
  const [effective, setEffective] = useState<PlanChangeTiming>('NOW');
  const [input, setInput] = useState<PlanMigrationInput | null>(null);
  if (!catalog.data) {
    return (
      <div className="page pricing">
        <h1>New migration</h1>
        <ErrorNote error={catalog.error} title="Could not load the catalog" />
        {catalog.error ? null : <Skeleton lines={5} label="Loading the plans" />}
      </div>
    );
  }
  const accountIds = accounts.split(/[\s,]+/).filter(Boolean);
  return (
    <div className="page pricing">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/migrations">Migrations</Link>
      </nav>
      <h1>New migration</h1>
      <form
        className="card tg-form"
        aria-label="Which accounts move"
        onSubmit={(event) => {
          event.preventDefault();
          if (!plan || !target) return;
          setInput({ plan: plan.key, fromVersions, toVersion: target.version, accountIds: accountIds.length ? accountIds : null, effective });
        }}
      >
        <div className="tg-form__row">
          <Field label="Plan">
            {(control) => (
              <select
                {...control}
                className="tg-select"
                value={plan?.key ?? ''}
                onChange={(event) => {
                  setPlanKey(event.target.value);
                  setTo('');
                  setFrom(null);
                  setInput(null);
                }}
              >
                {plans.map((entry) => (
                  <option key={entry.key} value={entry.key}>
                    {entry.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Move to" hint="A published version.">
            {(control) => (
              <select
                {...control}
                className="tg-select"
                value={target ? String(target.version) : ''}
                onChange={(event) => {
                  setTo(event.target.value);
                  setFrom(null);
                  setInput(null);
                }}
              >
                {published.map((version) => (
                  <option key={version.id} value={String(version.version)}>
                    v{version.version} ({version.price.formatted})
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <fieldset className="tg-choice">
          <legend>From versions</legend>
          {sources.length ? (
            sources.map((version) => (
              <label key={version.id}>
                <input
                  type="checkbox"
                  checked={fromVersions.includes(version.version)}
                  onChange={(event) => {
                    setFrom(event.target.checked ? [...fromVersions, version.version].sort((a, b) => a - b) : fromVersions.filter((entry) => entry !== version.version));
                    setInput(null);
                  }}
                />
                v{version.version} <span className="tg-muted">({version.subscriptionCount.toLocaleString()} accounts)</span>
              </label>
            ))
          ) : (
            <span className="tg-muted">No other published version of this plan.</span>
          )}
        </fieldset>
        <Field label="Only these accounts" hint="Optional: account ids separated by commas or lines. Named accounts move even when pinned to their version.">
          {(control) => <textarea {...control} className="tg-textarea mono" rows={2} value={accounts} onChange={(event) => setAccounts(event.target.value)} />}
        </Field>
        <fieldset className="tg-choice">
          <legend>When</legend>
          <label>
            <input type="radio" name="effective" checked={effective === 'NOW'} onChange={() => setEffective('NOW')} /> Now (each keeps its billing period)
          </label>
          <label>
            <input type="radio" name="effective" checked={effective === 'PERIOD_END'} onChange={() => setEffective('PERIOD_END')} /> At each account's period end
          </label>
        </fieldset>
        <div className="card__actions">
          <Button type="submit" variant="primary" disabled={!plan || !target || !fromVersions.length}>
            Preview
          </Button>
        </div>
      </form>
      {input ? <MigrationPreview key={JSON.stringify(input)} input={input} mayStart={mayStart} /> : null}
    </div>
  );
}
