import { useState } from 'react';
import { useMay } from '../auth/session.js';
import { Button, Empty, formatQuantity } from '../ui/index.js';
import type { DeskAddOn, DeskFeature } from './catalog-types.js';
import { NewAddOn } from './new-add-on.js';

/** Add-ons with their price and what each purchased unit grants; "New add-on" for those who may edit. */
export function AddOnList({ addOns, features }: { addOns: DeskAddOn[]; features: DeskFeature[] }) {
  const mayEdit = useMay('EDIT_CATALOG');
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState('');
  return (
    <div className="stack">
      <div className="toolbar">
        <p className="notice" role="status" aria-live="polite">
          {notice}
        </p>
        {mayEdit ? (
          <Button variant="primary" onClick={() => setOpen(true)}>
            New add-on
          </Button>
        ) : null}
      </div>
      {addOns.length ? <AddOnTable addOns={addOns} /> : <Empty title="No add-ons yet">An add-on sells more of a feature on top of any plan.</Empty>}
      {mayEdit ? <NewAddOn open={open} onOpenChange={setOpen} features={features} onDone={(key) => setNotice(`Add-on ${key} added.`)} /> : null}
    </div>
  );
}

function AddOnTable({ addOns }: { addOns: DeskAddOn[] }) {
  return (
    <div className="tg-table-scroll" role="region" aria-label="Add-ons" tabIndex={0}>
      <table className="tg-table">
        <caption className="visually-hidden">Add-ons</caption>
        <thead>
          <tr>
            <th scope="col">Add-on</th>
            <th scope="col">Price of one unit</th>
            <th scope="col">Each unit grants</th>
            <th scope="col" className="narrow-hidden">
              Stripe price
            </th>
          </tr>
        </thead>
        <tbody>
          {addOns.map((addOn) => (
            <tr key={addOn.key}>
              <td>
                <div className="stack-tight">
                  <span className="strong">{addOn.name}</span>
                  <span className="mono tg-muted">{addOn.key}</span>
                </div>
              </td>
              <td>
                {addOn.price.formatted} <span className="tg-muted">/ {addOn.interval === 'YEAR' ? 'year' : 'month'}</span>
              </td>
              <td>
                <ul className="plain-list">
                  {addOn.grants.map((grant) => (
                    <li key={grant.feature}>
                      <span className="mono">{grant.feature}</span>
                      {grant.enable ? ': access' : ''}
                      {grant.limitIncrement ? `${grant.enable ? ',' : ':'} +${formatQuantity(grant.limitIncrement)} to the limit` : ''}
                    </li>
                  ))}
                </ul>
              </td>
              <td className="mono narrow-hidden">{addOn.billingPriceId ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
