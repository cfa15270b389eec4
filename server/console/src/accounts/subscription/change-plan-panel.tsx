import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { ChangePlanDocument, PlanChangePreviewDocument, type AccountPageQuery, type ConsoleCatalogQuery, type PlanChangeTiming, type PlanMigrationReason } from '../../generated/graphql.js';
import { Badge, Button, ErrorNote, Field, formatDateTime, formatQuantity, problemsByField, Skeleton } from '../../ui/index.js';

type PageAccount = NonNullable<AccountPageQuery['account']>;

const SKIP_WORDS: Record<PlanMigrationReason, string> = {
  PINNED: 'The subscription is pinned to its version.',
  ALREADY_ON_TARGET: 'The account is already on this version.',
  CHANGE_SCHEDULED: 'Another plan change is already scheduled for the period end.',
  CANCELING: 'The subscription is canceled at the period end, so it ends then.',
  PLAN_CHANGED: 'The subscription changed while this was computed; look again.',
  NO_SUBSCRIPTION: 'The account has no subscription.',
  BILLING_MANAGED: 'Stripe bills this account, and Tollgate cannot change its price there (no STRIPE_API_KEY with write access, or a change Stripe must schedule itself).',
  BILLING_FAILED: 'Stripe refused or failed the price change; the account stays where it is.',
};

/**
 * Change plan, now or at the end of the period, showing first what the account gains and loses:
 * the server's own plan-migration preview for this one account (features gained and lost, limit
 * changes against current usage, the price change), then a reason and the confirming button. The
 * choice lives in the URL (`?change=pro&version=2&at=PERIOD_END`).
 */
export function ChangePlanPanel({ account, catalog, onDone }: { account: PageAccount; catalog: ConsoleCatalogQuery; onDone(message: string): void }) {
  const [params, setParams] = useSearchParams();
  const subscription = account.subscription;
  const planKey = params.get('change') ?? '';
  const plan = catalog.plans.find((entry) => entry.key === planKey);
  const published = (plan?.versions ?? []).filter((version) => version.status === 'PUBLISHED').sort((a, b) => b.version - a.version);
  const version = published.find((entry) => String(entry.version) === params.get('version')) ?? published[0];
  const at: PlanChangeTiming = params.get('at') === 'PERIOD_END' ? 'PERIOD_END' : 'NOW';
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value === null) next.delete(name);
      else next.set(name, value);
    }
    setParams(next, { replace: true });
  };

  const preview = useQuery(PlanChangePreviewDocument, {
    skip: !subscription || !plan || !version,
    fetchPolicy: 'network-only',
    variables: {
      input: {
        plan: subscription?.plan ?? '',
        fromVersions: subscription ? [subscription.planVersion.version] : null,
        toPlan: plan?.key ?? null,
        toVersion: version?.version ?? null,
        accountIds: [account.id],
        effective: at,
      },
    },
  });
  const [change, changed] = useMutation(ChangePlanDocument, { refetchQueries: ['AccountPage', 'AccountAccess', 'AccountHistory'] });
  const { byField, general } = problemsByField(changed.error, { SUBSCRIPTION_NOT_IN_FORCE: 'at' });
  const diff = preview.data?.previewPlanMigration.changes.edges[0]?.node;
  const skipped = preview.data?.previewPlanMigration.skippedByReason[0]?.reason;
  const featureName = (key: string) => catalog.features.find((entry) => entry.key === key)?.name ?? key;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!plan || !version) return;
    if (!reason.trim()) return setMissing(true);
    try {
      await change({ variables: { input: { accountId: account.id, plan: plan.key, version: version.version, at, reason: reason.trim() } } });
      set({ change: null, version: null, at: null });
      setReason('');
      onDone(at === 'PERIOD_END' ? `${plan.name} v${version.version} is scheduled for the end of the period.` : `The account is on ${plan.name} v${version.version} now.`);
    } catch {
      // Shown from changed.error.
    }
  };

  return (
    <section className="card" aria-labelledby="change-plan-heading">
      <h2 id="change-plan-heading">Change plan</h2>
      <div className="tg-form__row">
        <Field label="New plan">
          {(control) => (
            <select {...control} className="tg-select" value={planKey} onChange={(event) => set({ change: event.target.value || null, version: null })}>
              <option value="">Choose a plan…</option>
              {catalog.plans
                .filter((entry) => entry.versions.some((candidate) => candidate.status === 'PUBLISHED'))
                .sort((a, b) => a.rank - b.rank)
                .map((entry) => (
                  <option key={entry.key} value={entry.key}>
                    {entry.name}
                  </option>
                ))}
            </select>
          )}
        </Field>
        {plan ? (
          <Field label="Version" hint="The newest published version unless you pick another.">
            {(control) => (
              <select {...control} className="tg-select" value={version?.version ?? ''} onChange={(event) => set({ version: event.target.value })}>
                {published.map((entry) => (
                  <option key={entry.version} value={entry.version}>
                    v{entry.version} · {entry.price.formatted}/{entry.interval === 'YEAR' ? 'year' : 'month'}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
      </div>
      {plan ? (
        <fieldset className="tg-choice" aria-describedby={byField.at ? 'change-at-error' : undefined}>
          <legend>When</legend>
          <label>
            <input type="radio" name="change-at" checked={at === 'NOW'} onChange={() => set({ at: 'NOW' })} /> now
          </label>
          <label>
            <input type="radio" name="change-at" checked={at === 'PERIOD_END'} onChange={() => set({ at: 'PERIOD_END' })} /> at the end of the period
            {subscription ? ` (${formatDateTime(subscription.currentPeriodEnd)})` : ''}
          </label>
        </fieldset>
      ) : null}
      {byField.at ? (
        <p className="tg-field__error" id="change-at-error" role="alert">
          {byField.at}
        </p>
      ) : null}

      {plan && version && subscription ? (
        <div className="plan-diff" aria-live="polite" aria-busy={preview.loading}>
          <h3>What changes for {account.name}</h3>
          <ErrorNote error={preview.error} title="Could not compute what changes" />
          {preview.loading && !preview.data ? <Skeleton lines={3} label="Computing what changes" /> : null}
          {skipped ? <p className="tg-muted">{SKIP_WORDS[skipped]}</p> : null}
          {diff ? (
            <>
              <p>
                From {subscription.planVersion.planName} v{diff.fromVersion} to {plan.name} v{diff.toVersion}, {at === 'NOW' ? 'now' : `on ${formatDateTime(diff.effectiveAt)}`}.
                {diff.priceChange.map((money) => (
                  <span key={money.currency}>
                    {' '}
                    Price: {money.amount > 0 ? '+' : ''}
                    {money.formatted} a month.
                  </span>
                ))}
              </p>
              <div className="plan-diff__columns">
                <div>
                  <h4>Gains</h4>
                  {diff.featuresGained.length ? (
                    <ul className="plain-list">
                      {diff.featuresGained.map((key) => (
                        <li key={key}>
                          <Badge tone="ok">+</Badge> {featureName(key)}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <p className="tg-muted">No feature.</p>
                  )}
                </div>
                <div>
                  <h4>Loses</h4>
                  {diff.featuresLost.length ? (
                    <ul className="plain-list">
                      {diff.featuresLost.map((key) => (
                        <li key={key}>
                          <Badge tone="bad">−</Badge> {featureName(key)}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <p className="tg-muted">No feature.</p>
                  )}
                </div>
              </div>
              {diff.limitChanges.length ? (
                <>
                  <h4>Limits</h4>
                  <ul className="plain-list">
                    {diff.limitChanges.map((limit) => (
                      <li key={limit.feature} className={limit.to !== null && limit.used > limit.to ? 'text-bad' : undefined}>
                        {featureName(limit.feature)}: {formatQuantity(limit.from)} → {formatQuantity(limit.to)} <span className="tg-muted">(used {formatQuantity(limit.used)})</span>
                        {limit.to !== null && limit.used > limit.to ? ' — over the new limit: usage is kept, more is refused until units are released.' : null}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              {diff.wouldBeOverLimit ? <p className="warning-line">The account would be over a new limit.</p> : null}
            </>
          ) : null}
        </div>
      ) : null}

      {plan && version ? (
        <form className="tg-form" onSubmit={submit} noValidate>
          <Field label="Reason" required error={missing && !reason.trim() ? 'Say why: the audit log keeps it.' : byField.reason}>
            {(control) => <textarea {...control} className="tg-textarea" value={reason} onChange={(event) => setReason(event.target.value)} />}
          </Field>
          <ErrorNote problems={general} title="The server refused it" />
          <div className="tg-dialog__actions">
            <Button onClick={() => set({ change: null, version: null, at: null })}>Cancel</Button>
            <Button type="submit" variant="primary" busy={changed.loading} disabled={Boolean(skipped) || (Boolean(subscription) && !diff)}>
              {at === 'PERIOD_END' ? `Change to ${plan.name} at period end` : `Change to ${plan.name} now`}
            </Button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
