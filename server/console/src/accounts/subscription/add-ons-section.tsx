import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { SetAddOnDocument, type AccountPageQuery, type ConsoleCatalogQuery } from '../../generated/graphql.js';
import { Button, Empty, ErrorNote } from '../../ui/index.js';

type PageAccount = NonNullable<AccountPageQuery['account']>;

/** One add-on's row: its grants, the quantity the account has, and (for those who may) a new quantity. */
function AddOnRow({ account, addOn, quantity, mayChange, onDone }: { account: PageAccount; addOn: ConsoleCatalogQuery['addOns'][number]; quantity: number; mayChange: boolean; onDone(message: string): void }) {
  const [value, setValue] = useState(String(quantity));
  const [setAddOn, saved] = useMutation(SetAddOnDocument, { refetchQueries: ['AccountPage', 'AccountAccess', 'AccountHistory'] });
  const inputId = `add-on-${addOn.key}`;
  const errorId = `${inputId}-error`;
  const grants = addOn.grants.map((grant) => `${grant.feature}${grant.limitIncrement ? ` +${grant.limitIncrement.toLocaleString()}` : ''}${grant.enable ? ' (enables)' : ''}`).join(', ');
  const valid = /^\d+$/.test(value.trim());
  return (
    <li className="add-on">
      <div>
        <div className="strong">{addOn.name}</div>
        <div className="tg-muted">
          {addOn.price.formatted}/{addOn.interval === 'YEAR' ? 'year' : 'month'} each · {grants || 'no grants'}
        </div>
      </div>
      {mayChange ? (
        <form
          className="add-on__form"
          onSubmit={async (event) => {
            event.preventDefault();
            if (!valid) return;
            try {
              await setAddOn({ variables: { accountId: account.id, addOn: addOn.key, quantity: Number(value) } });
              onDone(`${addOn.name}: quantity ${value}.`);
            } catch {
              // Shown from saved.error.
            }
          }}
        >
          <label htmlFor={inputId}>Quantity</label>
          <input
            id={inputId}
            className="tg-input add-on__quantity"
            inputMode="numeric"
            value={value}
            onChange={(event) => setValue(event.target.value)}
            aria-invalid={!valid || saved.error ? true : undefined}
            aria-describedby={!valid || saved.error ? errorId : undefined}
          />
          <Button type="submit" size="small" busy={saved.loading} disabled={!valid || Number(value) === quantity}>
            Save
          </Button>
          <div id={errorId} className="add-on__error">
            {!valid ? <span className="tg-field__error">A whole number from 0.</span> : <ErrorNote error={saved.error} />}
          </div>
        </form>
      ) : (
        <span>× {quantity}</span>
      )}
    </li>
  );
}

/** The catalog's add-ons with the quantity this account has, changeable by those who may. */
export function AddOnsSection({ account, catalog, mayChange, onDone }: { account: PageAccount; catalog: ConsoleCatalogQuery; mayChange: boolean; onDone(message: string): void }) {
  const owned = new Map((account.subscription?.addOns ?? []).map((entry) => [entry.addOn, entry.quantity]));
  const shown = mayChange ? catalog.addOns : catalog.addOns.filter((addOn) => owned.has(addOn.key));
  return (
    <section className="card" aria-labelledby="add-ons-heading">
      <h2 id="add-ons-heading">Add-ons</h2>
      {!account.subscription ? (
        <p className="tg-muted">Add-ons need a subscription.</p>
      ) : shown.length ? (
        <ul className="plain-list add-ons">
          {shown.map((addOn) => (
            <AddOnRow key={addOn.key} account={account} addOn={addOn} quantity={owned.get(addOn.key) ?? 0} mayChange={mayChange} onDone={onDone} />
          ))}
        </ul>
      ) : (
        <Empty title="No add-ons">{mayChange ? 'The catalog has no add-ons.' : 'The account has none.'}</Empty>
      )}
    </section>
  );
}
