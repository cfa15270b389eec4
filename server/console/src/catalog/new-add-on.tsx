import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { DeskCreateAddOnDocument, type BillingInterval } from '../generated/graphql.js';
import { Button, Dialog, DialogActions, DialogClose, ErrorNote, Field, problemsByField } from '../ui/index.js';
import type { DeskFeature } from './catalog-types.js';
import { minorDigits } from './draft-form.js';

/** One grant as typed: access, and/or units added to the limit per purchased unit ('' = none). */
interface GrantRow {
  feature: string;
  enable: boolean;
  limitIncrement: string;
}

/**
 * A new add-on: key, name, price of one unit, interval, Stripe price, and what each unit grants
 * (access to a feature, units added to its limit, or both). The server's problems go under the
 * field they name.
 */
export function NewAddOn({ open, onOpenChange, features, onDone }: { open: boolean; onOpenChange(open: boolean): void; features: DeskFeature[]; onDone(key: string): void }) {
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [price, setPrice] = useState('');
  const [currency, setCurrency] = useState('USD');
  const [interval, setInterval] = useState<BillingInterval>('MONTH');
  const [billingPriceId, setBillingPriceId] = useState('');
  const [grants, setGrants] = useState<GrantRow[]>([{ feature: features[0]?.key ?? '', enable: false, limitIncrement: '' }]);
  const [create, created] = useMutation(DeskCreateAddOnDocument, { refetchQueries: ['CatalogDesk', 'ConsoleCatalog'] });
  const { byField, general } = problemsByField(created.error, { ALREADY_EXISTS: 'key' });
  const setGrant = (index: number, change: Partial<GrantRow>) => setGrants(grants.map((grant, at) => (at === index ? { ...grant, ...change } : grant)));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const digits = minorDigits(currency);
    try {
      await create({
        variables: {
          input: {
            key: key.trim(),
            name: name.trim(),
            price: { amount: Math.round(Number(price.replace(/[,\s]/g, '')) * 10 ** digits), currency: currency.trim().toUpperCase() },
            interval,
            billingPriceId: billingPriceId.trim() || null,
            grants: grants.map((grant) => ({
              feature: grant.feature,
              enable: grant.enable,
              limitIncrement: grant.limitIncrement.trim() ? Number(grant.limitIncrement.replace(/[,\s]/g, '')) : null,
            })),
          },
        },
      });
      onOpenChange(false);
      onDone(key.trim());
    } catch {
      // Shown next to the fields.
    }
  };
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="New add-on" description="An add-on sells more of a feature on top of any plan, per unit bought." wide>
      <form className="tg-form" onSubmit={submit} noValidate>
        <div className="tg-form__row">
          <Field label="Key" required error={byField.key}>
            {(control) => <input {...control} className="tg-input mono" value={key} onChange={(event) => setKey(event.target.value)} />}
          </Field>
          <Field label="Name" required error={byField.name}>
            {(control) => <input {...control} className="tg-input" value={name} onChange={(event) => setName(event.target.value)} />}
          </Field>
        </div>
        <div className="tg-form__row">
          <Field label="Price of one unit" required error={byField.amount ?? byField.price}>
            {(control) => <input {...control} className="tg-input" inputMode="decimal" value={price} onChange={(event) => setPrice(event.target.value)} />}
          </Field>
          <Field label="Currency" error={byField.currency}>
            {(control) => <input {...control} className="tg-input mono" value={currency} onChange={(event) => setCurrency(event.target.value)} />}
          </Field>
          <Field label="Interval">
            {(control) => (
              <select {...control} className="tg-select" value={interval} onChange={(event) => setInterval(event.target.value as BillingInterval)}>
                <option value="MONTH">Monthly</option>
                <option value="YEAR">Yearly</option>
              </select>
            )}
          </Field>
        </div>
        <Field label="Stripe price id" hint="Optional: a subscription item with this price sets the add-on's quantity." error={byField.billingPriceId}>
          {(control) => <input {...control} className="tg-input mono" value={billingPriceId} onChange={(event) => setBillingPriceId(event.target.value)} />}
        </Field>
        {grants.map((grant, index) => (
          <fieldset key={index} className="entitlement-row">
            <legend>Grant {index + 1}</legend>
            <div className="entitlement-row__fields">
              <Field label="Feature">
                {(control) => (
                  <select {...control} className="tg-select" value={grant.feature} onChange={(event) => setGrant(index, { feature: event.target.value })}>
                    {features.map((feature) => (
                      <option key={feature.key} value={feature.key}>
                        {feature.name} ({feature.key})
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <label className="entitlement-row__check">
                <input type="checkbox" checked={grant.enable} onChange={(event) => setGrant(index, { enable: event.target.checked })} /> Gives access
              </label>
              <Field label="Added to the limit per unit" error={byField.limitIncrement}>
                {(control) => <input {...control} className="tg-input" inputMode="numeric" value={grant.limitIncrement} onChange={(event) => setGrant(index, { limitIncrement: event.target.value })} />}
              </Field>
              {grants.length > 1 ? (
                <Button variant="quiet" size="small" aria-label={`Remove grant ${index + 1}`} onClick={() => setGrants(grants.filter((_, at) => at !== index))}>
                  Remove
                </Button>
              ) : null}
            </div>
          </fieldset>
        ))}
        {byField.grants ? <p className="tg-field__error">{byField.grants}</p> : null}
        <div>
          <Button size="small" onClick={() => setGrants([...grants, { feature: features[0]?.key ?? '', enable: false, limitIncrement: '' }])}>
            Add a grant
          </Button>
        </div>
        <ErrorNote problems={general} title="The server refused it" />
        <DialogActions>
          <DialogClose asChild>
            <Button>Cancel</Button>
          </DialogClose>
          <Button type="submit" variant="primary" busy={created.loading}>
            Add add-on
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
