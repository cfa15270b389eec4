import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, seedBasicCatalog } from '../support/fixtures.js';
import { freshDatabase } from '../support/database.js';
import { liveClient, type LiveClient } from '../support/live-client.js';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../support/server.js';

const CHANGED = `subscription ($accountId: ID) { overrideRequestsChanged(accountId: $accountId) { requestId accountId status at } }`;
const REQUEST = `mutation ($input: GrantOverrideInput!) { requestOverride(input: $input) { id status } }`;

/**
 * The console's approvals inbox follows override requests live: a request made or decided through
 * one server process is pushed to a subscriber of another within a second, filtered by account
 * when asked, and refused to callers who may not read requests.
 */
describe('overrideRequestsChanged', () => {
  let a: TestServer;
  let b: TestServer;
  let drop: () => Promise<void>;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    const database = await freshDatabase();
    drop = database.drop;
    a = await startTestServer({ databaseUrl: database.url });
    b = await startTestServer({ databaseUrl: database.url });
    await seedBasicCatalog(a.admin);
    await createAccount(a.admin, 'acme');
    await createAccount(a.admin, 'globex');
  }, 120_000);
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await a?.stop();
    await b?.stop();
    await drop?.();
  });

  const subscribe = (accountId: string | null) => {
    const client = liveClient(b.server.graphqlUrl, TEST_ADMIN_KEY);
    clients.push(client);
    // liveClient's subscribe passes { accountId } as variables.
    return client.subscribe(accountId as string, CHANGED);
  };
  const request = (accountId: string, reason: string) =>
    a.admin.request(REQUEST, { input: { accountId, feature: 'export_csv', effect: 'GRANT', endsAt: new Date(Date.now() + 14 * 86_400_000).toISOString(), reason } });

  it('pushes at once, then each request made and decided on another process within a second', async () => {
    const live = subscribe(null);
    await live.until((push: any) => push.requestId === null, 5000, 'the first push');
    const { requestOverride } = await request('acme', 'Trial of exports for the renewal');
    const answered = Date.now();
    const pending = (await live.until((push: any) => push.requestId === requestOverride.id, 5000, 'the request')) as any;
    expect(pending).toMatchObject({ accountId: 'acme', status: 'PENDING' });
    // Committed before the mutation answered; pushed from the other process within a second of that.
    expect(pending.receivedWallAt).toBeLessThan(answered + 1000);
    // Four eyes: another admin key decides the request.
    const { createApiKey } = await a.admin.request(`mutation { createApiKey(input: { name: "approver", role: ADMIN }) { secret } }`);
    await a.as(createApiKey.secret).request(`mutation ($id: ID!) { approveOverrideRequest(id: $id) { status } }`, { id: requestOverride.id });
    await live.until((push: any) => push.requestId === requestOverride.id && push.status === 'APPROVED', 5000, 'the approval');
  });

  it('pushes only the requests of the account asked for', async () => {
    const live = subscribe('globex');
    await live.until((push: any) => push.requestId === null, 5000, 'the first push');
    await request('acme', 'Not for this subscriber');
    const { requestOverride } = await request('globex', 'For this subscriber');
    const next = (await live.until((push: any) => push.requestId !== null, 5000, 'a request push')) as any;
    expect(next).toMatchObject({ requestId: requestOverride.id, accountId: 'globex' });
    expect(live.pushes.filter((push: any) => push.accountId === 'acme')).toEqual([]);
  });
});
