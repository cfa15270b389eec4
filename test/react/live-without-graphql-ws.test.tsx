// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Feature, TollgateProvider, useTollgate } from '../../client-sdk/dist/react/index.js';
import { startGraphQLRequestLog, type GraphQLRequestLog } from './graphql-request-log.js';
import { startTollgateForReact, type TollgateForReact } from './tollgate-for-react.js';

/**
 * An app without the optional peer graphql-ws: every import of it in this file (the SDK's own
 * `import('graphql-ws')` included) fails as module resolution fails when the package is not
 * installed. The provider opens no socket, says `fallback`, and the hooks refetch on focus and on
 * their interval, against a real Tollgate process.
 */
vi.mock('graphql-ws', () => {
  throw new Error("Cannot find package 'graphql-ws' imported from @tollgate/sdk");
});

let tollgate: TollgateForReact;
let log: GraphQLRequestLog;

beforeAll(async () => {
  tollgate = await startTollgateForReact();
  log = await startGraphQLRequestLog(tollgate.graphqlUrl);
});
afterEach(cleanup);
afterAll(async () => {
  await log?.close();
  await tollgate?.stop();
});

function Mode() {
  return <p data-testid="live">{useTollgate().live}</p>;
}

const grantExport = (accountId: string) =>
  tollgate.admin.request(`mutation ($input: GrantOverrideInput!) { grantOverride(input: $input) { id } }`, {
    input: { accountId, feature: 'export_csv', effect: 'GRANT', permanent: true, reason: 'no graphql-ws', approvedBy: 'QA' },
  });

describe('without graphql-ws installed', () => {
  it('cannot load graphql-ws here, as in an app that does not have it', async () => {
    await expect(import('graphql-ws')).rejects.toThrow(/error when mocking a module/);
  });

  it('opens no socket, says fallback, and refetches when the window regains focus', async () => {
    const account = await tollgate.newAccount();
    render(
      <TollgateProvider accountId={account.accountId} url={log.graphqlUrl} token={account.token} refetchIntervalMs={0}>
        <Mode />
        <Feature name="export_csv" fallback={<p>Locked</p>}>
          <button type="button">Export CSV</button>
        </Feature>
      </TollgateProvider>,
    );
    await screen.findByText('Locked');
    await waitFor(() => expect(screen.getByTestId('live').textContent).toBe('fallback'));
    log.clear();

    await grantExport(account.accountId);
    act(() => {
      fireEvent.focus(window);
    });
    await screen.findByRole('button', { name: 'Export CSV' }, { timeout: 2000 });
    expect(log.requests.map((request) => request.operationName)).toEqual(['TollgateEntitlements']);
    expect(log.webSockets()).toBe(0);
  });

  it('refetches on its interval', async () => {
    const account = await tollgate.newAccount();
    render(
      <TollgateProvider accountId={account.accountId} url={log.graphqlUrl} token={account.token} refetchIntervalMs={200} refetchOnFocus={false}>
        <Mode />
        <Feature name="export_csv" fallback={<p>Locked</p>}>
          <button type="button">Export CSV</button>
        </Feature>
      </TollgateProvider>,
    );
    await screen.findByText('Locked');
    await waitFor(() => expect(screen.getByTestId('live').textContent).toBe('fallback'));
    log.clear();
    await grantExport(account.accountId);
    await screen.findByRole('button', { name: 'Export CSV' }, { timeout: 2000 });
    expect(log.requests.length).toBeGreaterThanOrEqual(1);
    expect(log.webSockets()).toBe(0);
  });
});
