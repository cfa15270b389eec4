// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPaywall, TollgateProvider, UsageMeter } from '../../client-sdk/dist/react/index.js';
import { startTollgateForReact, type TollgateForReact } from './tollgate-for-react.js';

/** Where the upgrade prompt renders, and the usage meter's states, against a real Tollgate. */
let tollgate: TollgateForReact;

beforeAll(async () => {
  tollgate = await startTollgateForReact();
});
afterEach(cleanup);
afterAll(() => tollgate?.stop());

describe('the upgrade prompt', () => {
  it('renders in a portal on document.body, outside the app, and takes the nearest data-theme along', async () => {
    const user = userEvent.setup();
    const account = await tollgate.newAccount();
    const { container } = render(
      <div data-theme="dark" style={{ overflow: 'hidden', transform: 'scale(1)' }}>
        <TollgateProvider accountId={account.accountId} url={tollgate.graphqlUrl} token={account.token}>
          <button type="button" onClick={() => openPaywall('export_csv')}>Open</button>
        </TollgateProvider>
      </div>,
    );
    await user.click(screen.getByRole('button', { name: 'Open' }));
    const dialog = await screen.findByRole('dialog', { name: 'Upgrade your plan' });
    const backdrop = dialog.closest('.tollgate-backdrop')!;
    expect(backdrop.parentElement).toBe(document.body);
    expect(container.contains(dialog)).toBe(false);
    expect(backdrop).toHaveAttribute('data-theme', 'dark');
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));

    await user.keyboard('{Escape}');
    expect(document.querySelector('.tollgate-backdrop')).toBeNull();
    expect(screen.getByRole('button', { name: 'Open' })).toHaveFocus();
  });

  it('carries no theme of its own when nothing around it sets one', async () => {
    const user = userEvent.setup();
    const account = await tollgate.newAccount();
    render(
      <TollgateProvider accountId={account.accountId} url={tollgate.graphqlUrl} token={account.token}>
        <button type="button" onClick={() => openPaywall('export_csv')}>Open</button>
      </TollgateProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Open' }));
    const dialog = await screen.findByRole('dialog', { name: 'Upgrade your plan' });
    expect(dialog.closest('.tollgate-backdrop')).not.toHaveAttribute('data-theme');
  });
});

describe('<UsageMeter>', () => {
  it('marks a full meter as at limit, not as a warning, in words as well as by class', async () => {
    const account = await tollgate.newAccount();
    const setNotes = (value: number) =>
      tollgate.admin.request(`mutation ($id: ID!, $value: Quantity!) { setUsage(input: { accountId: $id, feature: "notes", value: $value, reason: "test" }) { used } }`, {
        id: account.accountId,
        value,
      });
    await setNotes(2);
    const { container } = render(
      <TollgateProvider accountId={account.accountId} url={tollgate.graphqlUrl} token={account.token}>
        <UsageMeter feature="notes" />
      </TollgateProvider>,
    );
    const meter = await screen.findByRole('progressbar', { name: 'Notes' });
    expect(meter).toHaveAttribute('aria-valuetext', '2 of 2 notes used · limit reached');
    const root = container.querySelector('.tollgate-meter')!;
    expect(root).toHaveClass('tollgate-meter--at-limit');
    expect(root).not.toHaveClass('tollgate-meter--warning');
    expect(root).toHaveAttribute('data-state', 'at-limit');
    expect(screen.getByText('2 of 2 notes used · limit reached')).toBeInTheDocument();
    cleanup();

    await setNotes(1);
    const again = render(
      <TollgateProvider accountId={account.accountId} url={tollgate.graphqlUrl} token={account.token}>
        <UsageMeter feature="notes" />
      </TollgateProvider>,
    );
    expect(await screen.findByRole('progressbar', { name: 'Notes' })).toHaveAttribute('aria-valuetext', '1 of 2 notes used');
    expect(again.container.querySelector('.tollgate-meter')).toHaveAttribute('data-state', 'ok');
  });
});
