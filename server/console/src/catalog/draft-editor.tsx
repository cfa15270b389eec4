import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { DeskUpdatePlanVersionDocument, type BillingInterval, type Overage, type UsagePeriod } from '../generated/graphql.js';
import { Button, ErrorNote, Field } from '../ui/index.js';
import type { DeskFeature, DeskVersion } from './catalog-types.js';
import { draftProblems, formOf, inputOf, type DraftForm, type EntitlementRow } from './draft-form.js';

const PERIODS: UsagePeriod[] = ['HOUR', 'DAY', 'WEEK', 'MONTH', 'YEAR', 'BILLING_PERIOD'];
const OVERAGES: { value: Overage; label: string }[] = [
  { value: 'BLOCK', label: 'Block at the limit' },
  { value: 'ALLOW', label: 'Allow, count the overage' },
];

/** Props of {@link DraftEditor}. */
export interface DraftEditorProps {
  version: DeskVersion;
  features: DeskFeature[];
  /** Problems the server had with the draft when publishing, shown next to their rows too. */
  publishError: unknown;
  /** Told whether the form differs from what is saved (publishing waits for a save). */
  onDirtyChange(dirty: boolean): void;
  onSaved(message: string): void;
}

/**
 * The editor of a draft version: price, interval, trial and grace days, Stripe prices, and each
 * entitlement's enabled, limit, period, soft limit and overage. Saving sends it all to
 * updatePlanVersion; every problem the server names is shown next to its field.
 */
export function DraftEditor({ version, features, publishError, onDirtyChange, onSaved }: DraftEditorProps) {
  const [saved, setSaved] = useState(() => formOf(version));
  const [form, setFormState] = useState<DraftForm>(saved);
  const [update, updating] = useMutation(DeskUpdatePlanVersionDocument, { refetchQueries: ['CatalogDesk'] });
  const [adding, setAdding] = useState('');
  const setForm = (next: DraftForm) => {
    setFormState(next);
    onDirtyChange(JSON.stringify(next) !== JSON.stringify(saved));
  };
  const kindOf = (key: string) => features.find((feature) => feature.key === key)?.kind;
  const nameOf = (key: string) => features.find((feature) => feature.key === key)?.name ?? key;
  const setRow = (index: number, change: Partial<EntitlementRow>) =>
    setForm({ ...form, entitlements: form.entitlements.map((row, at) => (at === index ? { ...row, ...change } : row)) });
  const problems = { ...draftProblems(publishError, form.entitlements), ...draftProblems(updating.error, form.entitlements) };
  const missing = features.filter((feature) => !form.entitlements.some((row) => row.feature === feature.key));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const result = await update({ variables: { input: inputOf(version.plan, version.version, form) } });
      if (result.data) {
        const next = formOf(result.data.updatePlanVersion);
        setSaved(next);
        setFormState(next);
        onDirtyChange(false);
        onSaved(`Draft v${version.version} saved. Nobody gets it until it is published.`);
      }
    } catch {
      // Shown next to the fields.
    }
  };
  return (
    <form className="tg-form draft-editor" onSubmit={submit} noValidate aria-label={`Draft v${version.version}`}>
      <section className="card" aria-labelledby="terms-title">
        <h2 id="terms-title">Price and terms</h2>
        <div className="tg-form__row">
          <Field label="Price" hint={`In ${form.currency}, per ${form.interval === 'YEAR' ? 'year' : 'month'}.`} error={problems.price}>
            {(control) => <input {...control} className="tg-input" inputMode="decimal" value={form.price} onChange={(event) => setForm({ ...form, price: event.target.value })} />}
          </Field>
          <Field label="Currency" hint="ISO 4217, such as USD." error={problems.currency}>
            {(control) => <input {...control} className="tg-input mono" value={form.currency} onChange={(event) => setForm({ ...form, currency: event.target.value })} />}
          </Field>
          <Field label="Interval" error={problems.interval}>
            {(control) => (
              <select {...control} className="tg-select" value={form.interval} onChange={(event) => setForm({ ...form, interval: event.target.value as BillingInterval })}>
                <option value="MONTH">Monthly</option>
                <option value="YEAR">Yearly</option>
              </select>
            )}
          </Field>
        </div>
        <div className="tg-form__row">
          <Field label="Trial days" hint="0 = no trial." error={problems.trialDays}>
            {(control) => <input {...control} className="tg-input" inputMode="numeric" value={form.trialDays} onChange={(event) => setForm({ ...form, trialDays: event.target.value })} />}
          </Field>
          <Field label="Trial grace days" hint="The plan still applies this long after a trial ends." error={problems.trialGraceDays}>
            {(control) => <input {...control} className="tg-input" inputMode="numeric" value={form.trialGraceDays} onChange={(event) => setForm({ ...form, trialGraceDays: event.target.value })} />}
          </Field>
          <Field label="Past-due grace days" hint="Empty = the server's default." error={problems.pastDueGraceDays}>
            {(control) => <input {...control} className="tg-input" inputMode="numeric" value={form.pastDueGraceDays} onChange={(event) => setForm({ ...form, pastDueGraceDays: event.target.value })} />}
          </Field>
        </div>
        <Field label="Stripe price ids" hint="The prices that stand for this version, separated by commas (price_…)." error={problems.billingPriceIds}>
          {(control) => <input {...control} className="tg-input mono" value={form.billingPriceIds} onChange={(event) => setForm({ ...form, billingPriceIds: event.target.value })} />}
        </Field>
      </section>
      <section className="card" aria-labelledby="entitlements-title">
        <h2 id="entitlements-title">Entitlements</h2>
        {problems.entitlements ? (
          <p className="tg-field__error" role="alert">
            {problems.entitlements}
          </p>
        ) : null}
        {form.entitlements.map((row, index) => {
          const kind = kindOf(row.feature);
          const rowProblem = problems[`entitlements.${row.feature}`];
          const at = (field: string) => problems[`entitlements.${row.feature}.${field}`];
          return (
            <fieldset key={row.feature} className={`entitlement-row${rowProblem ? ' entitlement-row--invalid' : ''}`}>
              <legend>
                {nameOf(row.feature)} <span className="mono tg-muted">({row.feature})</span>
              </legend>
              {rowProblem ? (
                <p className="tg-field__error" role="alert">
                  {rowProblem}
                </p>
              ) : null}
              <div className="entitlement-row__fields">
                <label className="entitlement-row__check">
                  <input type="checkbox" checked={row.enabled} onChange={(event) => setRow(index, { enabled: event.target.checked })} /> Enabled
                </label>
                {kind !== 'SWITCH' ? (
                  <>
                    <Field label="Limit" hint="Empty = unlimited." error={at('limit')}>
                      {(control) => <input {...control} className="tg-input" inputMode="numeric" value={row.limit} onChange={(event) => setRow(index, { limit: event.target.value })} />}
                    </Field>
                    {kind === 'METERED' ? (
                      <Field label="Period" error={at('period')}>
                        {(control) => (
                          <select {...control} className="tg-select" value={row.period} onChange={(event) => setRow(index, { period: event.target.value as UsagePeriod })}>
                            {PERIODS.map((period) => (
                              <option key={period} value={period}>
                                {period === 'BILLING_PERIOD' ? 'Billing period' : period.charAt(0) + period.slice(1).toLowerCase()}
                              </option>
                            ))}
                          </select>
                        )}
                      </Field>
                    ) : null}
                    <Field label="Soft limit %" hint="Warn at this share of the limit." error={at('softLimitPercent')}>
                      {(control) => (
                        <input {...control} className="tg-input" inputMode="numeric" value={row.softLimitPercent} onChange={(event) => setRow(index, { softLimitPercent: event.target.value })} />
                      )}
                    </Field>
                    <Field label="Overage" error={at('overage')}>
                      {(control) => (
                        <select {...control} className="tg-select" value={row.overage} onChange={(event) => setRow(index, { overage: event.target.value as Overage })}>
                          {OVERAGES.map((overage) => (
                            <option key={overage.value} value={overage.value}>
                              {overage.label}
                            </option>
                          ))}
                        </select>
                      )}
                    </Field>
                  </>
                ) : null}
                <Button
                  variant="quiet"
                  size="small"
                  aria-label={`Remove ${row.feature}`}
                  onClick={() => setForm({ ...form, entitlements: form.entitlements.filter((_, at) => at !== index) })}
                >
                  Remove
                </Button>
              </div>
            </fieldset>
          );
        })}
        {missing.length ? (
          <div className="add-entitlement">
            <Field label="Add a feature">
              {(control) => (
                <select {...control} className="tg-select" value={adding} onChange={(event) => setAdding(event.target.value)}>
                  <option value="">Choose a feature…</option>
                  {missing.map((feature) => (
                    <option key={feature.key} value={feature.key}>
                      {feature.name} ({feature.key})
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Button
              disabled={!adding}
              onClick={() => {
                const kind = kindOf(adding);
                setForm({
                  ...form,
                  entitlements: [...form.entitlements, { feature: adding, enabled: true, limit: '', period: kind === 'METERED' ? 'MONTH' : 'NEVER', softLimitPercent: '80', overage: 'BLOCK' }],
                });
                setAdding('');
              }}
            >
              Add
            </Button>
          </div>
        ) : null}
      </section>
      <ErrorNote problems={problems[''] ? [{ message: problems[''], code: null }] : []} title="The server refused it" />
      <div className="card__actions">
        <Button type="submit" variant="primary" busy={updating.loading}>
          Save draft
        </Button>
        <Button variant="quiet" onClick={() => setForm(saved)}>
          Undo changes
        </Button>
      </div>
    </form>
  );
}
