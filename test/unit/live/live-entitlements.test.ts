import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../server/src/access/index.js';
import { ChangeFeed } from '../../../server/src/db/change-feed.js';
import type { AccountDecisions, EntitlementsService } from '../../../server/src/entitlements/index.js';
import { LiveEntitlements, type EntitlementsChange } from '../../../server/src/live/live-entitlements.js';
import { fakeTime } from './fake-timers.js';

const START = new Date('2026-03-15T12:00:00.000Z');
const admin: Exclude<Principal, { kind: 'anonymous' }> = { kind: 'admin', name: 'ops', keyId: 'k1' };

/**
 * The hub on fake time, with an entitlements service whose answers the test controls: each
 * decideAll reads `state.version` (the account's "data") and may be held until released.
 */
function setup(settings: Partial<{ coalesceMs: number; maxSubscriptions: number; maxSubscriptionsPerKey: number; concurrency: number }> = {}) {
  const time = fakeTime(START);
  const feed = new ChangeFeed(null);
  const state = { version: 1, expiresAt: null as Date | null, missing: new Set<string>(), hold: false };
  const held: (() => void)[] = [];
  const calls: { accountId: string; at: Date }[] = [];
  let running = 0;
  let mostRunning = 0;
  const entitlements = {
    async decideAll(accountId: string): Promise<AccountDecisions> {
      const asOf = time.clock();
      calls.push({ accountId, at: asOf });
      running += 1;
      mostRunning = Math.max(mostRunning, running);
      const version = state.version;
      try {
        if (state.hold) await new Promise<void>((resolve) => held.push(resolve));
        if (state.missing.has(accountId)) throw Object.assign(new Error(`Unknown account "${accountId}"`), { extensions: { code: 'ACCOUNT_NOT_FOUND' } });
        return {
          catalog: { features: new Map(), planVersions: new Map(), defaultPlanVersionId: null, addOns: new Map() },
          account: { accountId, subscription: null, overrides: [] },
          entitlements: [{ feature: { key: `v${version}` }, decision: { expiresAt: state.expiresAt, resetsAt: null }, asOf } as never],
          asOf,
        };
      } finally {
        running -= 1;
      }
    },
  } as unknown as EntitlementsService;
  const live = new LiveEntitlements(entitlements, feed, time.clock, time.timers, {
    coalesceMs: 250, maxSubscriptions: 1000, maxSubscriptionsPerKey: 1000, maxSubscriptionsPerAccountToken: 20, maxSocketsPerAddress: 100, maxSocketsPerAccountToken: 10, concurrency: 8, ...settings,
  });
  /** Reads every push of a subscription as it comes. */
  const collect = (iterator: AsyncIterableIterator<EntitlementsChange>) => {
    const received: { version: string; at: number }[] = [];
    void (async () => {
      for await (const change of iterator) received.push({ version: change.entitlements[0]!.feature.key, at: change.at.getTime() });
    })();
    return received;
  };
  const change = (accountId = 'acme') => feed.deliverLocally({ scope: 'account', accountId });
  return { time, feed, state, held, calls, live, collect, change, mostRunning: () => mostRunning };
}

describe('live entitlements, on fake time', () => {
  it('pushes the current state at once, and the first change at once', async () => {
    const { time, state, live, collect, change } = setup();
    const pushes = collect(await live.watch(admin, 'acme'));
    await time.advance(0);
    expect(pushes.map((push) => push.version)).toEqual(['v1']);
    await time.advance(1000);
    state.version = 2;
    change();
    await time.advance(0);
    expect(pushes.map((push) => push.version)).toEqual(['v1', 'v2']);
  });

  it('coalesces a burst into one push per 250 ms, the last one carrying the latest state', async () => {
    const { time, state, live, collect, change } = setup();
    const pushes = collect(await live.watch(admin, 'acme'));
    await time.advance(0);
    for (let version = 2; version <= 101; version++) {
      state.version = version;
      change();
      await time.advance(10); // 100 changes over one second
    }
    await time.advance(250);
    expect(pushes.at(-1)!.version).toBe('v101');
    const gaps = pushes.slice(1).map((push, index) => push.at - pushes[index]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(250);
    expect(pushes.length).toBeLessThanOrEqual(1 + Math.ceil(1000 / 250) + 1);
    expect(pushes.map((push) => push.at)).toEqual([...pushes.map((push) => push.at)].sort((a, b) => a - b));
  });

  it('computes again when a change lands while the account is being computed', async () => {
    const { time, state, held, live, collect, change } = setup();
    const pushes = collect(await live.watch(admin, 'acme'));
    await time.advance(1000);
    state.hold = true;
    state.version = 2;
    change();
    await time.advance(0);
    state.version = 3; // committed after the computation read its inputs
    change();
    state.hold = false;
    held.shift()!();
    await time.advance(0);
    expect(pushes.map((push) => push.version)).toEqual(['v1', 'v2']);
    await time.advance(250);
    expect(pushes.map((push) => push.version)).toEqual(['v1', 'v2', 'v3']);
  });

  it('pushes at the instant a decision expires, and arms the next boundary after it', async () => {
    const { time, state, live, collect, calls } = setup();
    state.expiresAt = new Date(START.getTime() + 300);
    const pushes = collect(await live.watch(admin, 'acme'));
    await time.advance(0);
    state.expiresAt = new Date(START.getTime() + 40 * 86_400_000); // past setTimeout's cap
    await time.advance(299);
    expect(pushes).toHaveLength(1);
    await time.advance(1);
    expect(pushes).toHaveLength(2);
    expect(calls[1]!.at.getTime()).toBe(START.getTime() + 300);
    await time.advance(40 * 86_400_000 - 300);
    expect(pushes).toHaveLength(3);
    expect(calls[2]!.at.getTime()).toBe(START.getTime() + 40 * 86_400_000);
  });

  it('shares one computation between the subscribers of an account, and gives a late joiner the last state at once', async () => {
    const { time, live, collect, calls } = setup();
    const first = collect(await live.watch(admin, 'acme'));
    const second = collect(await live.watch(admin, 'acme'));
    await time.advance(0);
    expect(calls).toHaveLength(1);
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(1);
  });

  it('refuses subscriptions past the per-key and per-process bounds, and frees a place when one ends', async () => {
    const { live } = setup({ maxSubscriptionsPerKey: 2, maxSubscriptions: 3 });
    const a = await live.watch(admin, 'acme');
    await live.watch(admin, 'globex');
    await expect(live.watch(admin, 'initech')).rejects.toMatchObject({ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', bound: 'key', limit: 2 } });
    const other: Principal = { kind: 'server', name: 'backend', keyId: 'k2' };
    await live.watch(other, 'acme');
    await expect(live.watch({ kind: 'client', accountId: 'acme', expiresAt: START }, 'acme')).rejects.toMatchObject({
      extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', bound: 'server', limit: 3 },
    });
    await a.return!();
    expect(live.subscriptions).toBe(2);
    await live.watch(admin, 'initech');
    expect(live.subscriptions).toBe(3);
  });

  it('forgets an account, its timers included, when its last subscriber leaves', async () => {
    const { time, state, live, collect, change } = setup();
    state.expiresAt = new Date(START.getTime() + 60_000);
    const iterator = await live.watch(admin, 'acme');
    collect(iterator);
    await time.advance(0);
    change(); // a coalescing timer is pending too
    await iterator.return!();
    expect(live.watchedAccounts).toBe(0);
    expect(time.pendingTimers()).toBe(0);
  });

  it('answers the first subscriber of an unknown account with the error, and keeps nothing', async () => {
    const { state, live } = setup();
    state.missing.add('ghost');
    await expect(live.watch(admin, 'ghost')).rejects.toMatchObject({ extensions: { code: 'ACCOUNT_NOT_FOUND' } });
    expect(live.subscriptions).toBe(0);
    expect(live.watchedAccounts).toBe(0);
  });

  it('recomputes every watched account after a catalog change, a bounded number at once', async () => {
    const { time, feed, state, held, live, collect, mostRunning } = setup({ concurrency: 4 });
    const all = await Promise.all(Array.from({ length: 40 }, (_, index) => live.watch(admin, `acct-${index}`)));
    const pushes = all.map(collect);
    await time.advance(1000);
    state.version = 2;
    state.hold = true;
    feed.deliverLocally({ scope: 'catalog' });
    await time.advance(0);
    expect(held).toHaveLength(4);
    while (held.length) {
      for (const release of held.splice(0)) release();
      await time.advance(0);
    }
    expect(pushes.every((received) => received.at(-1)?.version === 'v2')).toBe(true);
    expect(mostRunning()).toBe(4);
  });
});
