import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { LinkBillingCustomerDocument } from '../generated/graphql.js';
import { Button, Dialog, DialogActions, DialogClose, ErrorNote, problemsByField } from '../ui/index.js';
import { AccountPicker } from './account-picker.js';

const REFETCH = ['BillingSyncIssues', 'AccountPage', 'AccountSubscription', 'AccountSearch'];

/**
 * "Link to an account" on an unknown customer's sync issue: pick the account, and the server links
 * the customer and replays its waiting events before it answers, so the issue is resolved when
 * the dialog closes. Its refusal is shown in the dialog, in its own words.
 */
export function LinkCustomer({ customerId, onDone }: { customerId: string; onDone(message: string): void }) {
  const [open, setOpen] = useState(false);
  const [accountId, setAccountId] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const [link, linked] = useMutation(LinkBillingCustomerDocument, { refetchQueries: REFETCH, awaitRefetchQueries: true });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!accountId) return setMissing(true);
    try {
      const answer = await link({ variables: { accountId, customerId } });
      setOpen(false);
      onDone(`Linked ${customerId} to ${answer.data?.linkBillingCustomer.name ?? accountId}; its waiting events were replayed.`);
    } catch {
      // Shown from linked.error.
    }
  };
  const { byField, general } = problemsByField(linked.error, { ACCOUNT_NOT_FOUND: 'accountId' });
  // The customer id is the issue's, not typed here: a problem with it belongs to the dialog as a whole.
  const refusals = [...general, ...(byField.customerId ? [{ message: `The customer id ${byField.customerId}.`, code: 'BAD_USER_INPUT' }] : [])];
  return (
    <>
      <Button variant="primary" size="small" onClick={() => setOpen(true)} aria-label={`Link to an account: ${customerId}`}>
        Link to an account
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title={`Link ${customerId} to an account`}
        description="Its events apply to that account from now on; the events waiting here are replayed at once. A customer links to one account."
      >
        <form className="tg-form" onSubmit={submit} noValidate>
          <AccountPicker
            value={accountId}
            onChange={(next) => {
              setAccountId(next);
              setMissing(false);
            }}
            error={missing ? 'Choose the account this customer pays for.' : (byField.accountId ?? null)}
          />
          <ErrorNote problems={refusals} title="The server refused the link" />
          <DialogActions>
            <DialogClose asChild>
              <Button>Cancel</Button>
            </DialogClose>
            <Button type="submit" variant="primary" busy={linked.loading}>
              Link and replay
            </Button>
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
