import { useQuery } from '@apollo/client/react';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMay } from '../../auth/session.js';
import { AccountAccessDocument, type AccountDecisionFragment, type AccountPageQuery, type ConsoleCatalogQuery } from '../../generated/graphql.js';
import { Badge, Empty, ErrorNote, formatQuantity, Skeleton, Table, TimeText, type TableColumn } from '../../ui/index.js';
import { REASON_WORDS } from './reason-words.js';
import { WhyPanel } from './why-panel.js';

type PageAccount = NonNullable<AccountPageQuery['account']>;

/** Where a decision came from, in a word or two. */
function sourceWords(decision: AccountDecisionFragment): string {
  if (decision.reason === 'TRIAL' || decision.reason === 'TRIAL_GRACE') return 'Trial';
  const parts: string[] = [];
  if (decision.source.overrideIds.length) parts.push('Override');
  if (decision.source.addOns.length) parts.push('Add-on');
  if (decision.source.planVersionId && decision.plan) parts.push(`${decision.plan.name} v${decision.plan.version}`);
  return parts.join(' + ') || '—';
}

const columns: TableColumn<AccountDecisionFragment>[] = [
  {
    id: 'feature',
    header: 'Feature',
    accessorFn: (row) => row.featureName,
    cell: ({ row }) => (
      <div>
        <div className="strong">{row.original.featureName}</div>
        <div className="mono tg-muted">{row.original.feature}</div>
      </div>
    ),
  },
  {
    id: 'access',
    header: 'Access',
    accessorFn: (row) => (row.allowed ? 1 : 0),
    cell: ({ row }) => (
      <div className="stack-tight">
        {row.original.allowed ? <Badge tone="ok">Allowed</Badge> : <Badge tone="bad">Denied</Badge>}
        <span className="narrow-only tg-muted">{REASON_WORDS[row.original.reason]}</span>
      </div>
    ),
  },
  { id: 'reason', header: 'Reason', meta: { className: 'narrow-hidden' }, accessorFn: (row) => REASON_WORDS[row.reason], cell: ({ getValue }) => getValue() },
  { id: 'source', header: 'Source', enableSorting: false, accessorFn: (row) => sourceWords(row), meta: { className: 'narrow-hidden' } },
  {
    id: 'limit',
    header: 'Used / limit',
    enableSorting: false,
    accessorFn: (row) => row.used,
    cell: ({ row: { original } }) =>
      original.kind === 'SWITCH' ? (
        <span className="tg-muted">—</span>
      ) : (
        <span className={original.limit !== null && original.used >= original.limit ? 'text-bad' : undefined}>
          {formatQuantity(original.used)} / {formatQuantity(original.limit)}
          {original.remaining !== null ? <span className="tg-muted"> · {formatQuantity(original.remaining)} left</span> : null}
        </span>
      ),
  },
  {
    id: 'when',
    header: 'Resets / ends',
    enableSorting: false,
    meta: { className: 'narrow-hidden' },
    accessorFn: (row) => row.expiresAt ?? row.resetsAt,
    cell: ({ row: { original } }) =>
      original.expiresAt ? (
        <span>
          ends <TimeText iso={original.expiresAt} mode="relative" />
        </span>
      ) : original.resetsAt ? (
        <span>
          resets <TimeText iso={original.resetsAt} mode="relative" />
        </span>
      ) : (
        <span className="tg-muted">—</span>
      ),
  },
  {
    id: 'why',
    header: () => <span className="visually-hidden">Explain</span>,
    enableSorting: false,
    cell: ({ row: { original } }) => (
      <Link to={`?feature=${encodeURIComponent(original.feature)}`} className="why-link" aria-label={`Why is ${original.featureName} ${original.allowed ? 'allowed' : 'denied'}?`}>
        Why?
      </Link>
    ),
  },
];

/**
 * Every feature's decision for the account, with its reason in words, its source and its limit,
 * used, remaining and reset; `?feature=` opens the "why" panel for one of them. Decisions update
 * live (pushed into the cache by useAccountLive).
 */
export function AccessTab({ account, catalog }: { account: PageAccount; catalog: ConsoleCatalogQuery | undefined }) {
  const [params, setParams] = useSearchParams();
  const access = useQuery(AccountAccessDocument, { variables: { id: account.id } });
  const mayRequest = useMay('REQUEST_OVERRIDE');
  const mayGrant = useMay('GRANT_OVERRIDE');
  const mayChange = mayRequest || mayGrant;
  const decisions = access.data?.entitlements;
  const selected = params.get('feature');
  const sorting = useMemo(() => {
    const sort = params.get('sort');
    return sort ? [{ id: sort.replace(/^-/, ''), desc: sort.startsWith('-') }] : [];
  }, [params]);
  if (!decisions) {
    if (access.error) return <ErrorNote error={access.error} title="Could not load the account's access" />;
    return <Skeleton lines={6} label="Loading the account's access" />;
  }
  const decision = decisions.find((entry) => entry.feature === selected);
  return (
    <div className={`access-tab${decision ? ' access-tab--with-panel' : ''}`}>
      <div className="access-tab__list">
        <ErrorNote error={access.error} title="Could not refresh the account's access" />
        <Table
          caption={`What ${account.name} may use now`}
          columns={columns}
          data={decisions}
          rowId={(row) => row.feature}
          rowTone={(row) => (row.allowed ? null : 'bad')}
          sorting={sorting}
          onSortingChange={(next) => {
            const nextParams = new URLSearchParams(params);
            if (next[0]) nextParams.set('sort', `${next[0].desc ? '-' : ''}${next[0].id}`);
            else nextParams.delete('sort');
            setParams(nextParams, { replace: true });
          }}
          empty={<Empty title="No features in the catalog">Create features and plans first; every feature then has a decision here.</Empty>}
        />
      </div>
      {decision && catalog ? (
        <WhyPanel
          decision={decision}
          decisions={decisions}
          account={account}
          catalog={catalog}
          mayChange={mayChange}
          onClose={() => {
            const nextParams = new URLSearchParams(params);
            nextParams.delete('feature');
            setParams(nextParams);
          }}
        />
      ) : null}
      {selected && !decision ? (
        <Empty title={`No feature "${selected}"`}>The link names a feature the catalog does not have.</Empty>
      ) : null}
    </div>
  );
}
