import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { MigrationPreviewDocument, StartMigrationDocument, type MigrationPreviewQuery, type PlanMigrationInput } from '../generated/graphql.js';
import { Badge, Button, Dialog, DialogActions, DialogClose, ErrorNote, Fact, Field, formatQuantity, problemsByField, Skeleton } from '../ui/index.js';
import { REASON_WORDS, routeWords } from './migration-words.js';

type Change = MigrationPreviewQuery['previewPlanMigration']['changes']['edges'][number]['node'];

/** Rows of the diff table drawn at once; the rest are counted. */
const SHOWN = 100;

/** Over-limit accounts first (they are the ones to look at), then by id. */
export function changeOrder(a: Change, b: Change): number {
  if (a.wouldBeOverLimit !== b.wouldBeOverLimit) return a.wouldBeOverLimit ? -1 : 1;
  return a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0;
}

/**
 * What a migration would do, writing nothing: accounts moving and skipped (and why, pinned ones
 * named), the monthly revenue change per currency, and per account what it gains, loses and pays,
 * over-limit accounts first. "Start migration" asks for the reason the audit log keeps.
 */
export function MigrationPreview({ input, mayStart }: { input: PlanMigrationInput; mayStart: boolean }) {
  const preview = useQuery(MigrationPreviewDocument, { variables: { input }, fetchPolicy: 'network-only' });
  const [starting, setStarting] = useState(false);
  const data = preview.data?.previewPlanMigration;
  if (!data) {
    return (
      <section className="card" aria-labelledby="preview-title" aria-busy={!preview.error}>
        <h2 id="preview-title">Preview</h2>
        <ErrorNote error={preview.error} title="Could not preview the migration" />
        {preview.error ? null : <Skeleton lines={5} label="Computing the preview" />}
      </section>
    );
  }
  const changes = data.changes.edges.map((edge) => edge.node).sort(changeOrder);
  const overLimit = changes.filter((change) => change.wouldBeOverLimit).length;
  const pinned = data.skippedAccounts.edges.filter((edge) => edge.node.reason === 'PINNED').map((edge) => edge.node);
  return (
    <section className="card" aria-labelledby="preview-title">
      <div className="card__head">
        <h2 id="preview-title">Preview: {routeWords({ ...data, fromVersions: data.fromVersions ?? null })}</h2>
        {mayStart && data.accounts ? (
          <Button variant="primary" onClick={() => setStarting(true)}>
            Start migration…
          </Button>
        ) : null}
      </div>
      <dl className="facts">
        <Fact term="Accounts moving">{formatQuantity(data.accounts)}</Fact>
        <Fact term="Selected">{formatQuantity(data.selected)}</Fact>
        <Fact term="Skipped">{formatQuantity(data.skipped)}</Fact>
        <Fact term="Over a new limit">{formatQuantity(overLimit)}</Fact>
        <Fact term="Monthly revenue change" className="revenue-change">
          {data.monthlyRevenueChange.length ? (
            <ul className="plain-list">
              {data.monthlyRevenueChange.map((money) => (
                <li key={money.currency} className={money.amount < 0 ? 'text-bad' : undefined}>
                  {money.amount > 0 ? '+' : ''}
                  {money.formatted} / month
                </li>
              ))}
            </ul>
          ) : (
            'none'
          )}
        </Fact>
        <Fact term="When">{data.effective === 'NOW' ? 'At once' : "At each account's period end"}</Fact>
      </dl>
      {data.skippedByReason.length ? (
        <div>
          <h3>Skipped, and why</h3>
          <ul className="plain-list">
            {data.skippedByReason.map((entry) => (
              <li key={entry.reason}>
                {formatQuantity(entry.accounts)}: {REASON_WORDS[entry.reason]}
              </li>
            ))}
          </ul>
          {pinned.length ? (
            <p>
              Pinned:{' '}
              {pinned.map((account, index) => (
                <span key={account.accountId}>
                  {index ? ', ' : ''}
                  <Link to={`/accounts/${encodeURIComponent(account.accountId)}`} className="mono">
                    {account.accountId}
                  </Link>
                </span>
              ))}
            </p>
          ) : null}
        </div>
      ) : null}
      <h3>Per account{changes.length > SHOWN ? ` (the first ${SHOWN} of ${formatQuantity(data.accounts)}, over-limit first)` : ''}</h3>
      <ChangeTable changes={changes.slice(0, SHOWN)} />
      {mayStart ? <StartMigration input={input} open={starting} onOpenChange={setStarting} accounts={data.accounts} /> : null}
    </section>
  );
}

function ChangeTable({ changes }: { changes: Change[] }) {
  if (!changes.length) return <p className="tg-muted">No account would move.</p>;
  return (
    <div className="tg-table-scroll" role="region" aria-label="Per-account changes" tabIndex={0}>
      <table className="tg-table">
        <caption className="visually-hidden">Per-account changes, over-limit accounts first</caption>
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">Limits</th>
            <th scope="col">Gains</th>
            <th scope="col" className="narrow-hidden">
              Loses
            </th>
            <th scope="col" className="narrow-hidden">
              Price per month
            </th>
          </tr>
        </thead>
        <tbody>
          {changes.map((change) => (
            <tr key={change.accountId} className={change.wouldBeOverLimit ? 'tg-table__row--warn' : undefined}>
              <td>
                <div className="stack-tight">
                  <Link to={`/accounts/${encodeURIComponent(change.accountId)}`} className="mono">
                    {change.accountId}
                  </Link>
                  {change.wouldBeOverLimit ? <Badge tone="warn">Over a new limit</Badge> : null}
                </div>
              </td>
              <td>
                {change.limitChanges.length ? (
                  <ul className="plain-list">
                    {change.limitChanges.map((limit) => (
                      <li key={limit.feature}>
                        <span className="mono">{limit.feature}</span> {formatQuantity(limit.from)} → {formatQuantity(limit.to)}{' '}
                        <span className="tg-muted">({formatQuantity(limit.used)} used)</span>
                      </li>
                    ))}
                  </ul>
                ) : (
                  '—'
                )}
              </td>
              <td className="mono">{change.featuresGained.join(', ') || '—'}</td>
              <td className="mono narrow-hidden">{change.featuresLost.join(', ') || '—'}</td>
              <td className="narrow-hidden">{change.priceChange.map((money) => `${money.amount > 0 ? '+' : ''}${money.formatted}`).join(', ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function StartMigration({ input, open, onOpenChange, accounts }: { input: PlanMigrationInput; open: boolean; onOpenChange(open: boolean): void; accounts: number }) {
  const navigate = useNavigate();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [start, started] = useMutation(StartMigrationDocument, { refetchQueries: ['CatalogDesk'] });
  const { byField, general } = problemsByField(started.error);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return setMissing(true);
    try {
      const result = await start({ variables: { input, reason: reason.trim() } });
      const id = result.data?.startPlanMigration.id;
      if (id) navigate(`/migrations/${id}`);
    } catch {
      // Shown in the dialog.
    }
  };
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Start the migration"
      description={`${formatQuantity(accounts)} accounts move as previewed, in batches of 500; each account's audit entry names you and this reason. A finished migration is not undone by itself.`}
    >
      <form className="tg-form" onSubmit={submit} noValidate>
        <Field label="Reason" required hint="Why these accounts move: the audit log keeps it." error={missing && !reason.trim() ? 'Say why: the audit log keeps it.' : byField.reason}>
          {(control) => <textarea {...control} className="tg-textarea" value={reason} onChange={(event) => setReason(event.target.value)} />}
        </Field>
        <ErrorNote problems={general} title="The server refused it" />
        <DialogActions>
          <DialogClose asChild>
            <Button>Cancel</Button>
          </DialogClose>
          <Button type="submit" variant="primary" busy={started.loading}>
            Start migration
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
