import { useQuery } from '@apollo/client/react';
import { lazy, Suspense } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useDocumentTitle } from '../../app/use-document-title.js';
import { AccountPageDocument, ConsoleCatalogDocument } from '../../generated/graphql.js';
import { Empty, ErrorNote, Skeleton, Tabs, type TabItem } from '../../ui/index.js';
import { AccessTab } from '../access/access-tab.js';
import { AccountHeader } from './account-header.js';
import { useAccountLive } from './use-account-live.js';

const UsageTab = lazy(() => import('../usage/usage-tab.js'));
const OverridesTab = lazy(() => import('../overrides/overrides-tab.js'));
const SubscriptionTab = lazy(() => import('../subscription/subscription-tab.js'));
const HistoryTab = lazy(() => import('../history/history-tab.js'));

/** The account page's tabs, in the order support walks them; each is a path segment. */
export const ACCOUNT_TABS = ['access', 'usage', 'overrides', 'subscription', 'history'] as const;
export type AccountTab = (typeof ACCOUNT_TABS)[number];

const TAB_LABELS: Record<AccountTab, string> = {
  access: 'Access',
  usage: 'Usage',
  overrides: 'Overrides',
  subscription: 'Subscription',
  history: 'History',
};

/**
 * One account: the header, then its tabs (access with the "why" panel, usage, overrides,
 * subscription and add-ons, history). The tab is in the path and each tab's selections in the
 * query string, so any view is a link support can paste into a ticket. Live: see useAccountLive.
 */
export function AccountPage() {
  const { accountId = '', tab: tabParam } = useParams();
  const navigate = useNavigate();
  const tab: AccountTab = (ACCOUNT_TABS as readonly string[]).includes(tabParam ?? '') ? (tabParam as AccountTab) : 'access';
  const page = useQuery(AccountPageDocument, { variables: { id: accountId } });
  const catalog = useQuery(ConsoleCatalogDocument);
  useAccountLive(accountId);
  const account = page.data?.account;
  useDocumentTitle(account?.name ?? accountId, TAB_LABELS[tab]);

  if (!page.data && page.loading) {
    return (
      <div aria-busy="true">
        <Skeleton lines={3} label="Loading the account" />
      </div>
    );
  }
  if (!account) {
    if (page.error) return <ErrorNote error={page.error} title="Could not load the account" />;
    return (
      <Empty title={`No account "${accountId}"`} action={<Link to="/accounts">Search accounts</Link>}>
        Tollgate knows no account with this id. Search by name, id, metadata or billing customer id.
      </Empty>
    );
  }
  const defaultPlan = catalog.data?.plans.find((plan) => plan.isDefault) ?? null;
  const activeOverrides = account.overrides.filter((override) => override.active).length;
  const items: TabItem[] = ACCOUNT_TABS.map((value) => ({ value, label: TAB_LABELS[value], count: value === 'overrides' ? activeOverrides : null }));
  return (
    <div className="account-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/accounts">Accounts</Link> <span aria-hidden="true">/</span> <span aria-current="page">{account.name}</span>
      </nav>
      <AccountHeader account={account} defaultPlan={defaultPlan ? { name: defaultPlan.name, version: defaultPlan.currentVersion?.version ?? null } : null} />
      <ErrorNote error={page.error} title="Could not refresh the account" />
      <Tabs label="Account views" items={items} value={tab} onValueChange={(next) => navigate(`/accounts/${encodeURIComponent(accountId)}/${next}`)}>
        <Suspense fallback={<Skeleton lines={5} label={`Loading ${TAB_LABELS[tab]}`} />}>
          {tab === 'access' ? <AccessTab account={account} catalog={catalog.data} /> : null}
          {tab === 'usage' ? <UsageTab account={account} /> : null}
          {tab === 'overrides' ? <OverridesTab account={account} catalog={catalog.data} /> : null}
          {tab === 'subscription' ? <SubscriptionTab account={account} catalog={catalog.data} /> : null}
          {tab === 'history' ? <HistoryTab accountId={account.id} /> : null}
        </Suspense>
      </Tabs>
    </div>
  );
}
