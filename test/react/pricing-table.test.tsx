// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PricingTable, TollgateProvider, useTollgate, type PricingPlan, type PricingTableProps } from '../../client-sdk/dist/react/index.js';
import { publishVersion } from '../support/fixtures.js';
import { startTollgateForReact, type ReactAccount, type TollgateForReact } from './tollgate-for-react.js';

/** <PricingTable> against a real Tollgate, with the account's client token only. */
let tollgate: TollgateForReact;

beforeAll(async () => {
  tollgate = await startTollgateForReact();
});
afterEach(cleanup);
afterAll(() => tollgate?.stop());

function renderTable(account: ReactAccount, props: Partial<PricingTableProps> = {}) {
  const selected: PricingPlan[] = [];
  let refresh: () => Promise<void> = async () => {};
  function Grab() {
    refresh = useTollgate().refresh;
    return null;
  }
  render(
    <TollgateProvider accountId={account.accountId} url={tollgate.graphqlUrl} token={account.token}>
      <PricingTable
        onSelect={async (plan) => {
          selected.push(plan);
          await account.changePlan(plan.key);
        }}
        {...props}
      />
      <Grab />
    </TollgateProvider>,
  );
  return { selected, refresh: () => act(() => refresh()) };
}

const plansList = () => screen.findByRole('list', { name: 'Plans' });
const planNames = async () => within(await plansList()).getAllByRole('region').map((region) => region.querySelector('h3')!.textContent);
const region = async (name: string) => within(await plansList()).getByRole('region', { name });

describe('<PricingTable>', () => {
  it('lists every published plan at its newest published version, and no drafts', async () => {
    await tollgate.admin.request(`mutation { createPlan(input: { key: "team", name: "Team", rank: 15 }) { key } }`);
    await publishVersion(tollgate.admin, 'team', [{ feature: 'export_csv' }], { price: 5900 });
    await publishVersion(tollgate.admin, 'team', [{ feature: 'export_csv' }], { price: 6900 });
    await tollgate.admin.request(`mutation { createPlanVersion(input: { plan: "team", price: { amount: 7900, currency: "USD" }, entitlements: [] }) { version } }`);
    await tollgate.admin.request(`mutation { createPlan(input: { key: "unreleased", name: "Unreleased", rank: 30 }) { key } }`);
    await tollgate.admin.request(`mutation { createPlanVersion(input: { plan: "unreleased", price: { amount: 100, currency: "USD" }, entitlements: [] }) { version } }`);

    const account = await tollgate.newAccount();
    renderTable(account);
    await waitFor(async () => expect(await planNames()).toEqual(['Free', 'Pro', 'Team', 'Enterprise']));
    expect((await region('Team')).textContent).toContain('$69.00 / month');
    expect(screen.queryByText(/\$79\.00|\$59\.00|Unreleased/)).not.toBeInTheDocument();
    expect(within(await region('Pro')).getByRole('list', { name: 'What Pro includes' }).textContent).toBe(
      'API calls: 10,000 calls a monthCSV exportNotes: 100 notes',
    );
    expect(within(await region('Free')).getByText('No CSV export')).toBeInTheDocument();
    expect(within(await region('Enterprise')).getByText('Notes: unlimited')).toBeInTheDocument();
  });

  it('marks the current plan, and recommends the cheapest plan that raises a feature or the one named', async () => {
    const account = await tollgate.newAccount();
    renderTable(account, { feature: 'export_csv' });
    await waitFor(async () => expect(within(await region('Free')).getByText('Your current plan')).toBeInTheDocument());
    expect(await region('Free')).toHaveAttribute('aria-current', 'true');
    expect(within(await region('Free')).queryByRole('button')).not.toBeInTheDocument();
    expect(within(await region('Pro')).getByText('Recommended')).toBeInTheDocument();
    expect(screen.getAllByText('Recommended')).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Choose Pro' })).toBeEnabled();
    cleanup();

    const pro = await tollgate.newAccount();
    await pro.changePlan('pro');
    renderTable(pro, { feature: 'notes' });
    await waitFor(async () => expect(await region('Pro')).toHaveAttribute('aria-current', 'true'));
    // Pro keeps 100 notes: only Enterprise raises that.
    expect(within(await region('Enterprise')).getByText('Recommended')).toBeInTheDocument();
    cleanup();

    renderTable(account, { feature: 'export_csv', recommended: 'enterprise' });
    await waitFor(async () => expect(within(await region('Enterprise')).getByText('Recommended')).toBeInTheDocument());
    expect(screen.getAllByText('Recommended')).toHaveLength(1);
  });

  it('hands the chosen plan to onSelect, then marks it current without a new mount', async () => {
    const user = userEvent.setup();
    const account = await tollgate.newAccount();
    const { selected } = renderTable(account);
    await user.click(await screen.findByRole('button', { name: 'Choose Enterprise' }));
    await waitFor(async () => expect(await region('Enterprise')).toHaveAttribute('aria-current', 'true'));
    expect(selected.map((plan) => [plan.key, plan.version, plan.price.formatted])).toEqual([['enterprise', 1, '$499.00']]);
    expect(await region('Free')).not.toHaveAttribute('aria-current');
    // The buttons stay disabled until every hook has refreshed, then come back.
    await waitFor(() => expect(screen.getByRole('button', { name: 'Choose Free' })).toBeEnabled());
  });

  it('says why a choice failed and lets the person try again', async () => {
    const user = userEvent.setup();
    const account = await tollgate.newAccount();
    let attempts = 0;
    renderTable(account, {
      onSelect: async () => {
        attempts += 1;
        throw new Error('Your card was declined.');
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Choose Pro' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Your card was declined.');
    expect(screen.getByRole('button', { name: 'Choose Pro' })).toBeEnabled();
    expect(await region('Free')).toHaveAttribute('aria-current', 'true');
    await user.click(screen.getByRole('button', { name: 'Choose Pro' }));
    await waitFor(() => expect(attempts).toBe(2));
  });

  it('offers a monthly/yearly switch once paid plans come in both, showing free plans under each', async () => {
    const user = userEvent.setup();
    const account = await tollgate.newAccount();
    const { refresh } = renderTable(account);
    await screen.findByRole('button', { name: 'Choose Pro' });
    expect(screen.queryByRole('radio')).not.toBeInTheDocument();

    await tollgate.admin.request(`mutation { createPlan(input: { key: "pro_yearly", name: "Pro yearly", rank: 11 }) { key } }`);
    const { createPlanVersion } = await tollgate.admin.request(
      `mutation { createPlanVersion(input: { plan: "pro_yearly", interval: YEAR, price: { amount: 29000, currency: "USD" }, entitlements: [{ feature: "notes", limit: 100 }] }) { version } }`,
    );
    await tollgate.admin.request(`mutation ($version: Int!) { publishPlanVersion(plan: "pro_yearly", version: $version) { status } }`, {
      version: createPlanVersion.version,
    });
    await refresh();

    const monthly = await screen.findByRole('radio', { name: 'Monthly' });
    expect(monthly).toBeChecked();
    expect(screen.getByRole('group', { name: 'Billing interval' })).toBeInTheDocument();
    expect(await planNames()).not.toContain('Pro yearly');
    await user.click(screen.getByRole('radio', { name: 'Yearly' }));
    expect(await planNames()).toEqual(['Free', 'Pro yearly']);
    expect((await region('Pro yearly')).textContent).toContain('$290.00 / year');
    cleanup();

    renderTable(account, { defaultInterval: 'YEAR' });
    expect(await screen.findByRole('radio', { name: 'Yearly' })).toBeChecked();
  });
});
