import { useQuery } from '@apollo/client/react';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useDocumentTitle } from '../app/use-document-title.js';
import { AccountSearchDocument, ConsoleCatalogDocument, type AccountSearchQuery, type AccountSort, type SubscriptionPhase } from '../generated/graphql.js';
import { Badge, Empty, ErrorNote, Field, Skeleton, Table, TimeText, type TableColumn } from '../ui/index.js';
import { PHASE_TONE, PHASE_WORDS } from './access/reason-words.js';

type FoundAccount = AccountSearchQuery['accounts']['edges'][number]['node'];

const PAGE_SIZE = 20;

/** The yes-only filters, each a query-string flag (?overrides=1) and an argument of accounts(). */
const ONLY = [
  { param: 'overrides', label: 'with an override in force' },
  { param: 'overLimit', label: 'at or over a limit' },
  { param: 'syncIssue', label: 'with a billing sync issue' },
] as const;
type OnlyParam = (typeof ONLY)[number]['param'];

/** The columns the server sorts by, over every page (?sort=name, ?sort=-created). */
const SORT_COLUMNS: Record<string, AccountSort | undefined> = { name: 'NAME', created: 'CREATED' };
const PHASES = Object.keys(PHASE_WORDS) as SubscriptionPhase[];

const columns: TableColumn<FoundAccount>[] = [
  {
    id: 'name',
    header: 'Account',
    sortDescFirst: false,
    accessorFn: (row) => row.name,
    cell: ({ row: { original } }) => (
      <div className="stack-tight">
        <Link to={`/accounts/${encodeURIComponent(original.id)}`} className="strong">
          {original.name}
        </Link>
        <span className="mono tg-muted">{original.id}</span>
      </div>
    ),
  },
  {
    id: 'plan',
    header: 'Plan',
    enableSorting: false,
    accessorFn: (row) => row.subscription?.planVersion.planName ?? '',
    cell: ({ row: { original } }) =>
      original.subscription ? (
        <span>
          {original.subscription.planVersion.planName} <span className="tg-muted">v{original.subscription.planVersion.version}</span>
        </span>
      ) : (
        <span className="tg-muted">Free plan</span>
      ),
  },
  {
    id: 'phase',
    header: 'Phase',
    enableSorting: false,
    accessorFn: (row) => row.subscription?.phase ?? '',
    cell: ({ row: { original } }) => (original.subscription ? <Badge tone={PHASE_TONE[original.subscription.phase]}>{PHASE_WORDS[original.subscription.phase]}</Badge> : <span className="tg-muted">—</span>),
  },
  {
    id: 'overrides',
    header: 'Overrides',
    enableSorting: false,
    accessorFn: (row) => row.activeOverrides.length,
    cell: ({ getValue }) => (getValue() ? <Badge tone="info">{getValue()} in force</Badge> : <span className="tg-muted">—</span>),
  },
  {
    id: 'next',
    header: 'Next date',
    enableSorting: false,
    meta: { className: 'narrow-hidden' },
    cell: ({ row: { original } }) => {
      const subscription = original.subscription;
      if (!subscription) return <span className="tg-muted">—</span>;
      if (subscription.phase === 'TRIAL' || subscription.phase === 'TRIAL_GRACE') {
        return (
          <span>
            trial ends <TimeText iso={subscription.trialEndsAt} mode="relative" />
          </span>
        );
      }
      return (
        <span>
          {subscription.cancelAtPeriodEnd ? 'ends' : 'renews'} <TimeText iso={subscription.currentPeriodEnd} mode="relative" />
        </span>
      );
    },
  },
  {
    id: 'created',
    header: 'Created',
    sortDescFirst: true,
    meta: { className: 'narrow-hidden' },
    cell: ({ row: { original } }) => <TimeText iso={original.createdAt} mode="relative" />,
  },
  {
    id: 'billing',
    header: 'Billing',
    enableSorting: false,
    meta: { className: 'narrow-hidden' },
    cell: ({ row: { original } }) => (original.billingCustomerIds.length ? <span className="mono">{original.billingCustomerIds.join(', ')}</span> : <span className="tg-muted">—</span>),
  },
];

/**
 * Find an account: results as you type (id, name, metadata, billing customer id), filtered by plan,
 * phase, overrides in force, limits hit and sync issues, sorted by name or creation over every
 * page (by the server), a page at a time. Everything is
 * in the URL (?q=&plan=&phase=&overrides=1&overLimit=1&syncIssue=1&sort=&after=),
 * so a search can be pasted into a ticket.
 */
export function AccountsPage() {
  useDocumentTitle('Accounts');
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const plan = params.get('plan') ?? '';
  const phase = (PHASES as string[]).includes(params.get('phase') ?? '') ? (params.get('phase') as SubscriptionPhase) : null;
  const after = params.get('after');
  // A checkbox shows its new state at once: the URL it writes is committed in a transition, and
  // until then React would put the old state back on the box.
  const [pending, setPending] = useState<Partial<Record<OnlyParam, boolean>>>({});
  useEffect(() => setPending({}), [params]);
  const only = Object.fromEntries(ONLY.map((filter) => [filter.param, pending[filter.param] ?? params.get(filter.param) === '1'])) as Record<OnlyParam, boolean>;
  const filtered = Boolean(q || plan || phase || ONLY.some((filter) => only[filter.param]));
  const [typed, setTyped] = useState(q);
  const catalog = useQuery(ConsoleCatalogDocument);

  // Results as you type: the URL (and so the query) follows the box after a short pause.
  useEffect(() => {
    if (typed === q) return;
    const timer = setTimeout(() => update({ q: typed.trim() || null, after: null }), 200);
    return () => clearTimeout(timer);
    // Only the box drives this; the URL already holds q.
  }, [typed]);
  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    setParams(next, { replace: true });
  };
  const sortParam = params.get('sort') ?? '';
  const sortColumn = SORT_COLUMNS[sortParam.replace(/^-/, '')];
  const found = useQuery(AccountSearchDocument, {
    variables: {
      search: q || null, plan: plan || null, phase, first: PAGE_SIZE, after,
      sort: sortColumn ?? null, descending: sortColumn ? sortParam.startsWith('-') : null,
      hasActiveOverrides: only.overrides || null, overLimit: only.overLimit || null, hasSyncIssue: only.syncIssue || null,
    },
  });
  const rows = found.data?.accounts.edges.map((edge) => edge.node);
  const sorting = useMemo(() => {
    const sort = params.get('sort');
    return sort && SORT_COLUMNS[sort.replace(/^-/, '')] ? [{ id: sort.replace(/^-/, ''), desc: sort.startsWith('-') }] : [];
  }, [params]);

  return (
    <div className="page">
      <h1>Accounts</h1>
      <search className="search-bar">
        <Field label="Search" hint="Any part of an id, a name or a metadata value, or a Stripe customer id (cus_…).">
          {(control) => (
            <input {...control} className="tg-input" type="search" autoFocus value={typed} onChange={(event) => setTyped(event.target.value)} placeholder="Acme, acct_42, cus_N3x…" />
          )}
        </Field>
        <Field label="Plan">
          {(control) => (
            <select {...control} className="tg-select" value={plan} onChange={(event) => update({ plan: event.target.value || null, after: null })}>
              <option value="">Any plan</option>
              {catalog.data?.plans.map((entry) => (
                <option key={entry.key} value={entry.key}>
                  {entry.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Phase">
          {(control) => (
            <select {...control} className="tg-select" value={phase ?? ''} onChange={(event) => update({ phase: event.target.value || null, after: null })}>
              <option value="">Any phase</option>
              {PHASES.map((entry) => (
                <option key={entry} value={entry}>
                  {PHASE_WORDS[entry]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset className="only-filters">
          <legend>Only accounts</legend>
          {ONLY.map((filter) => (
            <label key={filter.param} className="only-filter">
              <input
                type="checkbox"
                checked={only[filter.param]}
                onChange={(event) => {
                  setPending((current) => ({ ...current, [filter.param]: event.target.checked }));
                  update({ [filter.param]: event.target.checked ? '1' : null, after: null });
                }}
              />
              {filter.label}
            </label>
          ))}
        </fieldset>
      </search>
      <ErrorNote error={found.error} title="Could not search" />
      <div aria-live="polite" aria-busy={found.loading}>
        {rows ? (
          <>
            <p className="visually-hidden">{rows.length ? `${rows.length}${found.data?.accounts.pageInfo.hasNextPage ? ' or more' : ''} accounts found` : 'No account found'}</p>
            <Table
              caption="Accounts found"
              columns={columns}
              data={rows}
              rowId={(row) => row.id}
              sorting={sorting}
              sortedByServer
              onSortingChange={(next) => update({ sort: next[0] ? `${next[0].desc ? '-' : ''}${next[0].id}` : null, after: null })}
              empty={
                <Empty title={filtered ? 'No account matches' : 'No accounts yet'}>
                  {filtered ? 'Try part of the name, the id, or the Stripe customer id; or clear the filters.' : 'Accounts appear here once the host product creates them (upsertAccount).'}
                </Empty>
              }
            />
            <nav className="pager" aria-label="Result pages">
              {after ? <Link to={`?${withoutAfter(params)}`}>First page</Link> : null}
              {found.data?.accounts.pageInfo.hasNextPage && found.data.accounts.pageInfo.endCursor ? (
                <Link to={`?${withAfter(params, found.data.accounts.pageInfo.endCursor)}`}>Next page</Link>
              ) : null}
            </nav>
          </>
        ) : found.error ? null : (
          <Skeleton lines={5} label="Searching" />
        )}
      </div>
    </div>
  );
}

function withoutAfter(params: URLSearchParams): string {
  const next = new URLSearchParams(params);
  next.delete('after');
  return next.toString();
}

function withAfter(params: URLSearchParams, cursor: string): string {
  const next = new URLSearchParams(params);
  next.set('after', cursor);
  return next.toString();
}
