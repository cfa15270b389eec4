import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { Link } from 'react-router';
import { ReconcileBillingDocument, type BillingMismatchKind, type ReconcileBillingMutation } from '../generated/graphql.js';
import { Badge, Button, Dialog, DialogActions, DialogClose, Empty, ErrorNote, Table, TimeText, type TableColumn } from '../ui/index.js';
import { MISMATCH_KIND_WORDS } from './issue-words.js';

type Report = ReconcileBillingMutation['reconcileBilling'];
type Mismatch = Report['mismatches'][number];

const columns: TableColumn<Mismatch>[] = [
  {
    id: 'subscription',
    header: 'Subscription',
    cell: ({ row: { original } }) => (
      <div className="stack-tight">
        <span className="mono">{original.providerSubscriptionId ?? '—'}</span>
        <span className="mono tg-muted">{original.customerId ?? ''}</span>
      </div>
    ),
  },
  {
    id: 'account',
    header: 'Account',
    cell: ({ row: { original } }) =>
      original.accountId ? <Link to={`/accounts/${encodeURIComponent(original.accountId)}/subscription`}>{original.accountId}</Link> : <span className="tg-muted">no account</span>,
  },
  { id: 'tollgate', header: 'Tollgate has', cell: ({ row: { original } }) => original.tollgate ?? <span className="tg-muted">—</span> },
  { id: 'provider', header: 'Stripe has', cell: ({ row: { original } }) => original.provider ?? <span className="tg-muted">—</span> },
  { id: 'message', header: 'What differs', meta: { className: 'narrow-hidden' }, cell: ({ row: { original } }) => original.message },
  {
    id: 'fix',
    header: 'Apply',
    cell: ({ row: { original } }) =>
      original.fixed ? <Badge tone="ok">fixed</Badge> : original.fixable ? <Badge tone="info">fixes it</Badge> : <Badge tone="warn">by hand</Badge>,
  },
];

/** The report's mismatches grouped by kind, in the schema's order of kinds. */
function byKind(mismatches: readonly Mismatch[]): [BillingMismatchKind, Mismatch[]][] {
  return (Object.keys(MISMATCH_KIND_WORDS) as BillingMismatchKind[])
    .map((kind): [BillingMismatchKind, Mismatch[]] => [kind, mismatches.filter((mismatch) => mismatch.kind === kind)])
    .filter(([, rows]) => rows.length > 0);
}

/**
 * Reconciliation: a dry run compares every Stripe subscription with Tollgate's and shows the
 * mismatches as a table per kind, writing nothing. Applying it (BILLING, OWNER) goes through a
 * confirmation that says what it will fix and which guards of the billing contract hold it back.
 */
export function Reconciliation({ mayApply }: { mayApply: boolean }) {
  const [report, setReport] = useState<Report | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [run, running] = useMutation(ReconcileBillingDocument, { refetchQueries: ['BillingSyncIssues'] });
  const reconcile = async (apply: boolean) => {
    try {
      const answer = await run({ variables: { apply } });
      if (answer.data) setReport(answer.data.reconcileBilling);
      setConfirming(false);
    } catch {
      // Shown from running.error.
    }
  };
  const fixable = report?.mismatches.filter((mismatch) => mismatch.fixable && !mismatch.fixed).length ?? 0;
  const cancels = report?.mismatches.filter((mismatch) => mismatch.kind === 'MISSING_IN_PROVIDER' && mismatch.fixable && !mismatch.fixed).length ?? 0;
  return (
    <section className="card" aria-labelledby="reconciliation-title">
      <div className="card__head">
        <h2 id="reconciliation-title">Reconciliation</h2>
        {mayApply ? (
          <div className="card__actions">
            <Button onClick={() => reconcile(false)} busy={running.loading && !confirming}>
              Run a dry run
            </Button>
            {report && !report.applied && fixable > 0 ? (
              <Button variant="primary" onClick={() => setConfirming(true)}>
                Apply {fixable} {fixable === 1 ? 'fix' : 'fixes'}…
              </Button>
            ) : null}
          </div>
        ) : null}
      </div>
      <p className="tg-muted">
        Every subscription in Stripe against its mirror in Tollgate. A dry run writes nothing.
        {mayApply ? null : ' Billing and owners run it.'}
      </p>
      <ErrorNote error={running.error} title="Reconciliation failed" />
      {report ? (
        <div className="stack" aria-live="polite">
          <p>
            {report.applied ? <strong>Applied: {report.fixed} fixed. </strong> : <strong>Dry run: nothing written. </strong>}
            Checked <TimeText iso={report.checkedAt} mode="relative" />: {report.providerSubscriptions} subscriptions in Stripe, {report.tollgateSubscriptions} mirrored in Tollgate,{' '}
            {report.mismatches.length} {report.mismatches.length === 1 ? 'mismatch' : 'mismatches'}.
          </p>
          {report.refusals.length ? (
            <div className="tg-error-note" role="alert">
              <p className="tg-error-note__title">Apply was refused; nothing was written</p>
              <ul>
                {report.refusals.map((refusal) => (
                  <li key={refusal.kind}>
                    {refusal.message} <code className="tg-error-note__code">{refusal.kind}</code>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {report.mismatches.length ? (
            byKind(report.mismatches).map(([kind, rows]) => (
              <div key={kind} className="mismatch-group">
                <h3>
                  {MISMATCH_KIND_WORDS[kind]} <span className="tg-muted">({rows.length})</span>
                </h3>
                <Table caption={`${MISMATCH_KIND_WORDS[kind]}: ${rows.length}`} columns={columns} data={rows} rowId={(row) => `${row.kind}-${row.providerSubscriptionId ?? row.accountId}`} />
              </div>
            ))
          ) : (
            <Empty title="Stripe and Tollgate agree">No subscription differs.</Empty>
          )}
        </div>
      ) : null}
      <Dialog
        open={confirming}
        onOpenChange={setConfirming}
        wide
        title="Apply the reconciliation?"
        description={`Tollgate reconciles again and fixes what it finds fixable (${fixable} in this dry run), through the same path as Stripe's events; each fix is audited with actor "reconciliation".`}
      >
        <div className="tg-form">
          <p>Stripe's subscription is the truth; what guards the apply:</p>
          <ul className="guard-list">
            <li>It lists Stripe's subscriptions again: what changed since this dry run is applied as it is then, not as shown here.</li>
            <li>
              It cancels in Tollgate only subscriptions mirrored before its listing began and confirmed missing by reading each one from Stripe
              {cancels ? ` (${cancels} would be canceled)` : ''}.
            </li>
            <li>It refuses to apply anything when more than 10% of the Stripe-billed subscriptions would be canceled, or when STRIPE_API_KEY's mode (live or test) is not the subscriptions' mode.</li>
            <li>Mismatches marked “by hand” (an unknown price, a customer with no account) are left as they are.</li>
            <li>Nothing is written to Stripe.</li>
          </ul>
          <ErrorNote error={running.error} title="Reconciliation failed" />
          <DialogActions>
            <DialogClose asChild>
              <Button>Cancel</Button>
            </DialogClose>
            <Button variant="primary" busy={running.loading} onClick={() => reconcile(true)}>
              Apply the fixes
            </Button>
          </DialogActions>
        </div>
      </Dialog>
    </section>
  );
}
