// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Feature, TollgateProvider } from '../../client-sdk/dist/react/index.js';
import { CheckoutStatus } from '../../examples/react-app/src/checkout-status.js';
import type { CheckoutReturn } from '../../examples/react-app/src/checkout.js';
import { startTollgateForReact, type ReactAccount, type TollgateForReact } from './tollgate-for-react.js';

/**
 * The example app's success page after Stripe Checkout (examples/react-app/src/checkout-status.tsx)
 * against a real Tollgate, with short intervals: it refreshes until the plan bought is in force,
 * then stops; past its bound it stops asking and says so; a canceled checkout changes nothing.
 */
let tollgate: TollgateForReact;

beforeAll(async () => {
  tollgate = await startTollgateForReact();
});
afterEach(() => {
  cleanup();
  window.history.replaceState(null, '', '/');
});
afterAll(() => tollgate?.stop());

/** Renders the status and a gated export for an account, counting the plan's requests to Tollgate. */
function renderStatus(account: ReactAccount, checkout: CheckoutReturn, timing: { intervalMs: number; timeoutMs: number }) {
  let requests = 0;
  let inFlight = 0;
  const original = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    // The status's own question; refreshes ask it again with every other active query.
    if (typeof init?.body !== 'string' || !init.body.includes('TollgateCurrentPlan')) return original(input, init);
    requests += 1;
    inFlight += 1;
    return original(input, init).finally(() => {
      inFlight -= 1;
    });
  };
  window.history.replaceState(null, '', `/?account=${account.accountId}&checkout=${checkout.outcome}&plan=${checkout.plan ?? ''}`);
  render(
    <TollgateProvider accountId={account.accountId} url={tollgate.graphqlUrl} token={account.token}>
      <CheckoutStatus checkout={checkout} {...timing} />
      <Feature name="export_csv" fallback={<p>Locked</p>}>
        <button type="button">Export CSV</button>
      </Feature>
    </TollgateProvider>,
  );
  return {
    requests: () => requests,
    /**
     * The requests once none is in flight: a refresh begun just before the status settled still
     * sends its question (Apollo fetches after a tick), so counting before it lands would blame
     * the status for a request it made while it was still asking.
     */
    settledRequests: async () => {
      await waitFor(() => expect(inFlight).toBe(0));
      await act(() => new Promise((resolve) => setTimeout(resolve, 0)));
      await waitFor(() => expect(inFlight).toBe(0));
      return requests;
    },
    restore: () => {
      globalThis.fetch = original;
    },
  };
}

describe('the example app\'s checkout status', () => {
  it('refreshes until the plan bought is in force, unlocks the gates by itself, then stops asking', async () => {
    const account = await tollgate.newAccount();
    const view = renderStatus(account, { outcome: 'success', plan: 'pro' }, { intervalMs: 50, timeoutMs: 20_000 });
    try {
      expect(screen.getByRole('status').textContent).toBe('Finishing your upgrade…');
      await screen.findByText('Locked');
      // Still asking: every interval, a refresh.
      const before = view.requests();
      await waitFor(() => expect(view.requests()).toBeGreaterThan(before + 2));

      await account.changePlan('pro');
      await screen.findByRole('button', { name: 'Export CSV' });
      await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Upgrade complete: you are on Pro.'));
      expect(window.location.search).toBe(`?account=${account.accountId}`);
      const settled = await view.settledRequests();
      // Nothing more in six intervals: the status stopped asking.
      await act(() => new Promise((resolve) => setTimeout(resolve, 300)));
      expect(view.requests()).toBe(settled);
    } finally {
      view.restore();
    }
  });

  it('stops asking at its bound and says the upgrade takes longer; Check again asks again', async () => {
    const account = await tollgate.newAccount();
    const view = renderStatus(account, { outcome: 'success', plan: 'pro' }, { intervalMs: 50, timeoutMs: 400 });
    try {
      await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/^Your upgrade is taking longer than usual/));
      const stopped = await view.settledRequests();
      // Nothing more in six intervals: the status stopped asking.
      await act(() => new Promise((resolve) => setTimeout(resolve, 300)));
      expect(view.requests()).toBe(stopped);
      await screen.findByText('Locked'); // the gate's own answer may land after the bound on a busy machine

      await account.changePlan('pro');
      fireEvent.click(screen.getByRole('button', { name: 'Check again' }));
      await screen.findByRole('button', { name: 'Export CSV' });
      // The gate may unlock first, from the live push; the plan's own query follows it.
      await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Upgrade complete: you are on Pro.'));
    } finally {
      view.restore();
    }
  });

  it('says a canceled checkout changed nothing, and asks Tollgate nothing more', async () => {
    const account = await tollgate.newAccount();
    const view = renderStatus(account, { outcome: 'canceled', plan: 'pro' }, { intervalMs: 50, timeoutMs: 20_000 });
    try {
      expect(screen.getByRole('status').textContent).toBe('Checkout canceled: nothing was charged and your plan has not changed.');
      await screen.findByText('Locked');
      const loaded = await view.settledRequests();
      await act(() => new Promise((resolve) => setTimeout(resolve, 300)));
      expect(view.requests()).toBe(loaded);
      expect(window.location.search).toBe(`?account=${account.accountId}`);
    } finally {
      view.restore();
    }
  });
});
