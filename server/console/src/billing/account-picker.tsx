import { useQuery } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { BillingAccountPickerDocument } from '../generated/graphql.js';
import { ErrorNote, Field } from '../ui/index.js';

/**
 * Chooses an account by searching as the accounts page does (`accounts(search)`: id, name,
 * metadata, billing customer id), the matches as radio buttons, so a keyboard moves through
 * them with the arrow keys and a screen reader hears each one's name and id.
 */
export function AccountPicker({ value, onChange, error }: { value: string | null; onChange(accountId: string | null): void; error?: string | null }) {
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setSearch(typed.trim()), 200);
    return () => clearTimeout(timer);
  }, [typed]);
  const found = useQuery(BillingAccountPickerDocument, { variables: { search: search || null } });
  const accounts = found.data?.accounts.edges.map((edge) => edge.node) ?? [];
  return (
    <div className="account-picker">
      <Field label="Find the account" hint="Part of its name or id." error={error}>
        {(control) => <input {...control} className="tg-input" type="search" value={typed} onChange={(event) => setTyped(event.target.value)} />}
      </Field>
      <ErrorNote error={found.error} title="Could not search the accounts" />
      <fieldset className="account-picker__choices" aria-busy={found.loading}>
        <legend className="visually-hidden">Account</legend>
        {accounts.length ? (
          accounts.map((account) => (
            <label key={account.id} className="account-picker__choice">
              <input type="radio" name="account" value={account.id} checked={value === account.id} onChange={() => onChange(account.id)} />
              <span className="stack-tight">
                <span className="strong">{account.name}</span>
                <span className="mono tg-muted">
                  {account.id}
                  {account.billingCustomerIds.length ? ` · billed as ${account.billingCustomerIds.join(', ')}` : ''}
                </span>
              </span>
            </label>
          ))
        ) : found.loading ? null : (
          <p className="tg-muted">No account matches “{search}”.</p>
        )}
      </fieldset>
    </div>
  );
}
