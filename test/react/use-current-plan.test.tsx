// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TollgateProvider, useCurrentPlan, useTollgate, type UseCurrentPlanResult } from '../../client-sdk/dist/react/index.js';
import { startTollgateForReact, type ReactAccount, type TollgateForReact } from './tollgate-for-react.js';

/** useCurrentPlan against a real Tollgate, with the account's client token only. */
let tollgate: TollgateForReact;

beforeAll(async () => {
  tollgate = await startTollgateForReact();
});
afterEach(cleanup);
afterAll(() => tollgate?.stop());

/** Renders the hook for an account; `latest()` is its newest answer, `refresh()` the provider's. */
function renderCurrentPlan(account: ReactAccount) {
  let latest: UseCurrentPlanResult | undefined;
  let refresh: () => Promise<void> = async () => {};
  function Probe() {
    latest = useCurrentPlan();
    refresh = useTollgate().refresh;
    return <p data-testid="plan">{latest.loading ? 'loading' : (latest.plan?.name ?? 'none')}</p>;
  }
  render(
    <TollgateProvider accountId={account.accountId} url={tollgate.graphqlUrl} token={account.token}>
      <Probe />
    </TollgateProvider>,
  );
  return { latest: () => latest!, refresh: () => act(() => refresh()) };
}

describe('useCurrentPlan', () => {
  it('answers the default plan for an account that never subscribed', async () => {
    const account = await tollgate.newAccount();
    const { latest } = renderCurrentPlan(account);
    await waitFor(() => expect(screen.getByTestId('plan').textContent).toBe('Free'));
    expect(latest()).toMatchObject({
      loading: false,
      error: undefined,
      plan: { key: 'free', name: 'Free', version: 1, interval: 'MONTH', price: { amount: 0, formatted: '$0.00' } },
      onDefaultPlan: true,
      subscription: null,
      status: null,
      trialEndsAt: null,
      scheduledChange: null,
      addOns: [],
    });
  });

  it('answers a trial with its end, and add-ons with their names and quantities', async () => {
    const account = await tollgate.newAccount();
    await account.changePlan('pro', { trial: true });
    await tollgate.admin.request(`mutation ($id: ID!) { setAddOn(accountId: $id, addOn: "notes_pack", quantity: 2) { id } }`, { id: account.accountId });
    const { latest } = renderCurrentPlan(account);
    await waitFor(() => expect(screen.getByTestId('plan').textContent).toBe('Pro'));
    const answer = latest();
    expect(answer.plan).toMatchObject({ key: 'pro', name: 'Pro', version: 1, price: { formatted: '$29.00' } });
    expect(answer.onDefaultPlan).toBe(false);
    expect(answer.status).toBe('TRIALING');
    expect(answer.subscription?.inForce).toBe(true);
    const trialDays = (Date.parse(answer.trialEndsAt!) - Date.now()) / 86_400_000;
    expect(Math.round(trialDays)).toBe(14);
    expect(answer.addOns).toEqual([expect.objectContaining({ key: 'notes_pack', name: 'Notes pack', quantity: 2 })]);
  });

  it('falls back to the default plan when the subscription ends, and still says what it was', async () => {
    const account = await tollgate.newAccount();
    await account.changePlan('enterprise');
    await tollgate.admin.request(
      `mutation ($id: ID!) { updateSubscriptionStatus(input: { accountId: $id, status: CANCELED, reason: "test" }) { id } }`,
      { id: account.accountId },
    );
    const { latest } = renderCurrentPlan(account);
    await waitFor(() => expect(screen.getByTestId('plan').textContent).toBe('Free'));
    expect(latest().onDefaultPlan).toBe(true);
    expect(latest().status).toBe('CANCELED');
    expect(latest().subscription).toMatchObject({ inForce: false, plan: { key: 'enterprise', name: 'Enterprise' } });
  });

  it('says when the plan is canceling and which plan a scheduled change moves to, and when', async () => {
    const account = await tollgate.newAccount();
    await account.changePlan('enterprise');
    await tollgate.admin.request(
      `mutation ($id: ID!) { changePlan(input: { accountId: $id, plan: "pro", at: PERIOD_END }) { id } }`,
      { id: account.accountId },
    );
    const { latest, refresh } = renderCurrentPlan(account);
    await waitFor(() => expect(screen.getByTestId('plan').textContent).toBe('Enterprise'));
    const { scheduledChange, subscription } = latest();
    expect(scheduledChange).toEqual({ __typename: 'ScheduledPlanChange', plan: 'pro', name: 'Pro', version: 1, at: subscription!.currentPeriodEnd });

    await tollgate.admin.request(
      `mutation ($id: ID!) { cancelSubscription(input: { accountId: $id, reason: "test" }) { id } }`,
      { id: account.accountId },
    );
    await refresh();
    await waitFor(() => expect(latest().phase).toBe('CANCELING'));
    expect(latest()).toMatchObject({ scheduledChange: null, plan: { key: 'enterprise' }, subscription: { cancelAtPeriodEnd: true, inForce: true } });
  });

  it('shows a plan change after the provider refreshes, without a new mount', async () => {
    const account = await tollgate.newAccount();
    const { refresh } = renderCurrentPlan(account);
    await waitFor(() => expect(screen.getByTestId('plan').textContent).toBe('Free'));
    await account.changePlan('pro');
    await refresh();
    await waitFor(() => expect(screen.getByTestId('plan').textContent).toBe('Pro'));
  });

  it('is refused for another account\'s client token, as the server refuses it', async () => {
    const account = await tollgate.newAccount();
    const other = await tollgate.newAccount();
    let latest: UseCurrentPlanResult | undefined;
    function Probe() {
      latest = useCurrentPlan();
      return <p data-testid="state">{latest.error ? 'error' : latest.loading ? 'loading' : 'answered'}</p>;
    }
    render(
      <TollgateProvider accountId={other.accountId} url={tollgate.graphqlUrl} token={account.token}>
        <Probe />
      </TollgateProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('state').textContent).toBe('error'));
    expect(latest!.error?.message).toMatch(/may only read the account it was minted for/);
    expect(latest!.plan).toBeUndefined();
  });
});
