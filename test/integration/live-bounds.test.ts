import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { changePlan, createAccount, seedBasicCatalog } from '../support/fixtures.js';
import type { GraphQLTestClient } from '../support/graphql-client.js';
import { measuredServerWithCatalog, type MeasuredServer } from '../support/measured-process.js';
import { isAccepted, openRawSocket, rawSocket, refusalOf, type RawLiveSocket } from '../support/raw-live-socket.js';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../support/server.js';

/**
 * The bounds of live updates, tried as a hostile browser would, with the client token it is
 * given: at most 20 subscriptions and 10 sockets per account's client tokens in a process,
 * sockets per client address, and what none of it may cost (another account's pushes, memory).
 */
const MiB = 1024 * 1024;
const SUBSCRIPTIONS = 20;
const SOCKETS = 10;
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

const tokenFor = async (admin: GraphQLTestClient, accountId: string) =>
  (await admin.request(`mutation ($id: ID!) { createClientToken(accountId: $id, ttlSeconds: 3600) { token } }`, { id: accountId })).createClientToken
    .token as string;

/** Waits until `check` holds, re-checking after each turn of the event loop; a deadline, never a sleep. */
async function eventually(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('a client token\'s bounds, by any mix of sockets and subscriptions', () => {
  let t: TestServer;
  let token: string;
  beforeAll(async () => {
    t = await startTestServer();
    cleanups.push(() => t.stop());
    await seedBasicCatalog(t.admin);
    await createAccount(t.admin, 'acme');
    token = await tokenFor(t.admin, 'acme');
  });

  type Command =
    | { kind: 'open'; count: number }
    | { kind: 'subscribe'; sockets: number[]; each: number }
    | { kind: 'unsubscribe'; socket: number; which: number }
    | { kind: 'close'; socket: number };
  const command: fc.Arbitrary<Command> = fc.oneof(
    fc.record({ kind: fc.constant('open' as const), count: fc.integer({ min: 1, max: 6 }) }),
    fc.record({ kind: fc.constant('subscribe' as const), sockets: fc.array(fc.nat(20), { minLength: 1, maxLength: 4 }), each: fc.integer({ min: 1, max: 9 }) }),
    fc.record({ kind: fc.constant('unsubscribe' as const), socket: fc.nat(20), which: fc.nat(30) }),
    fc.record({ kind: fc.constant('close' as const), socket: fc.nat(20) }),
  );

  /**
   * Property: for any sequence of opening sockets (several at once), subscribing (bursts on
   * several sockets at once), completing subscriptions and closing sockets, the server accepts
   * a socket exactly when the account has fewer than 10 open and a subscription exactly when it
   * has fewer than 20 active (concurrent attempts counted one by one), refuses the rest with
   * TOO_MANY_SUBSCRIPTIONS naming the bound, and never holds more.
   */
  it('accepts exactly up to 20 subscriptions and 10 sockets, whatever the mix, and refuses the rest with the bound', async () => {
    const live = t.server.services.live;
    let next = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 4, maxLength: 18 }), async (commands) => {
        const open: { live: RawLiveSocket; subscriptions: string[] }[] = [];
        const active = () => open.reduce((sum, socket) => sum + socket.subscriptions.length, 0);
        try {
          for (const step of commands) {
            if (step.kind === 'open') {
              const room = SOCKETS - open.length;
              const openings = await Promise.all(Array.from({ length: step.count }, () => openRawSocket(t.server.graphqlUrl, token)));
              const acked = openings.filter((opening) => opening.outcome === 'ack');
              expect(acked).toHaveLength(Math.min(step.count, room));
              for (const refused of openings.filter((opening) => opening.outcome !== 'ack')) {
                expect(refused).toMatchObject({ outcome: 'closed', code: 4430, reason: expect.stringMatching(/^TOO_MANY_SUBSCRIPTIONS \(bound account-sockets\)/) });
              }
              for (const opening of acked) if (opening.outcome === 'ack') open.push({ live: opening.live, subscriptions: [] });
            } else if (step.kind === 'subscribe' && open.length) {
              const room = SUBSCRIPTIONS - active();
              const sent: { socket: (typeof open)[number]; id: string }[] = [];
              for (const index of step.sockets) {
                const socket = open[index % open.length]!;
                for (let count = 0; count < step.each; count++) {
                  const id = `s${next++}`;
                  socket.live.subscribe(id, 'acme');
                  sent.push({ socket, id });
                }
              }
              const answers = await Promise.all(sent.map(({ socket, id }) => socket.live.answer(id)));
              const accepted = sent.filter((_, index) => isAccepted(answers[index]!));
              expect(accepted).toHaveLength(Math.min(sent.length, room));
              for (const answer of answers.filter((candidate) => !isAccepted(candidate))) {
                expect(refusalOf(answer)).toEqual({ code: 'TOO_MANY_SUBSCRIPTIONS', bound: 'account', limit: SUBSCRIPTIONS });
              }
              for (const { socket, id } of accepted) socket.subscriptions.push(id);
            } else if (step.kind === 'unsubscribe' && active() > 0) {
              const socket = open.filter((candidate) => candidate.subscriptions.length)[step.socket % open.filter((candidate) => candidate.subscriptions.length).length]!;
              const [id] = socket.subscriptions.splice(step.which % socket.subscriptions.length, 1);
              socket.live.send({ id, type: 'complete' });
            } else if (step.kind === 'close' && open.length) {
              const [socket] = open.splice(step.socket % open.length, 1);
              socket!.live.socket.close();
            }
            // The server's own counts follow the model (a completion or a close takes a moment
            // to arrive), and never exceed the bounds.
            await eventually(
              () => live.subscriptions === active() && live.sockets.ofAccountToken('acme') === open.length,
              5000,
              `the server's counts (${live.subscriptions} subscriptions, ${live.sockets.ofAccountToken('acme')} sockets) to be the model's (${active()}, ${open.length})`,
            );
            expect(live.subscriptions).toBeLessThanOrEqual(SUBSCRIPTIONS);
            expect(live.sockets.ofAccountToken('acme')).toBeLessThanOrEqual(SOCKETS);
          }
        } finally {
          for (const socket of open) socket.live.socket.close();
          await eventually(() => live.subscriptions === 0 && live.sockets.ofAccountToken('acme') === 0, 5000, 'every place given back');
        }
      }),
      { numRuns: 15 },
    );
  }, 120_000);
});

describe('an account at its bound', () => {
  let t: TestServer;
  const sockets: WebSocket[] = [];
  beforeAll(async () => {
    t = await startTestServer();
    cleanups.push(() => t.stop(), async () => sockets.forEach((socket) => socket.terminate()));
    await seedBasicCatalog(t.admin);
    for (const id of ['acme', 'globex']) await createAccount(t.admin, id);
  });

  it('does not affect another account\'s subscribers, even while it keeps trying', async () => {
    const track = (socket: WebSocket) => sockets.push(socket);
    const hostile = await tokenFor(t.admin, 'acme');
    const full: RawLiveSocket[] = [];
    for (let index = 0; index < SOCKETS; index++) full.push(await rawSocket(t.server.graphqlUrl, hostile, { track }));
    for (let index = 0; index < SUBSCRIPTIONS; index++) full[index % SOCKETS]!.subscribe(`a${index}`, 'acme');
    for (let index = 0; index < SUBSCRIPTIONS; index++) expect(isAccepted(await full[index % SOCKETS]!.answer(`a${index}`))).toBe(true);

    // The other account's browser, while the first keeps knocking.
    const neighbour = await tokenFor(t.admin, 'globex');
    let knocking = true;
    const knocks = (async () => {
      let attempts = 0;
      while (knocking) {
        const opening = await openRawSocket(t.server.graphqlUrl, hostile, { track });
        expect(opening).toMatchObject({ outcome: 'closed', code: 4430 });
        const socket = full[attempts % SOCKETS]!;
        socket.subscribe(`extra${attempts}`, 'acme');
        expect(refusalOf(await socket.answer(`extra${attempts}`))).toMatchObject({ code: 'TOO_MANY_SUBSCRIPTIONS', bound: 'account' });
        attempts += 1;
      }
      return attempts;
    })();
    const theirs: RawLiveSocket[] = [];
    for (let index = 0; index < SOCKETS; index++) theirs.push(await rawSocket(t.server.graphqlUrl, neighbour, { track }));
    for (let index = 0; index < SUBSCRIPTIONS; index++) theirs[index % SOCKETS]!.subscribe(`g${index}`, 'globex');
    for (let index = 0; index < SUBSCRIPTIONS; index++) expect(isAccepted(await theirs[index % SOCKETS]!.answer(`g${index}`))).toBe(true);

    const changedAt = performance.now();
    await changePlan(t.admin, { accountId: 'globex', plan: 'pro' });
    const onPro = (socket: RawLiveSocket, id: string) => () =>
      socket.messages.some((message) => message.id === id && message.type === 'next' && message.payload.data.entitlementsChanged.entitlements.some((entitlement: { plan: { key: string } | null }) => entitlement.plan?.key === 'pro'));
    await Promise.all(Array.from({ length: SUBSCRIPTIONS }, (_, index) => theirs[index % SOCKETS]!.until(onPro(theirs[index % SOCKETS]!, `g${index}`), 1000, `globex subscriber g${index} on pro`)));
    expect(performance.now() - changedAt).toBeLessThan(1000);
    knocking = false;
    expect(await knocks).toBeGreaterThan(0);
  });
});

describe('sockets per client address', () => {
  let database: FreshDatabase;
  let direct: TestServer;
  let proxied: TestServer;
  const sockets: WebSocket[] = [];
  const track = (socket: WebSocket) => sockets.push(socket);
  beforeAll(async () => {
    database = await freshDatabase();
    const env = { TOLLGATE_LIVE_MAX_SOCKETS_PER_ADDRESS: '3' };
    direct = await startTestServer({ databaseUrl: database.url, env });
    proxied = await startTestServer({ databaseUrl: database.url, env: { ...env, TOLLGATE_TRUST_PROXY: 'loopback' } });
    cleanups.push(() => database.drop(), () => direct.stop(), () => proxied.stop(), async () => sockets.forEach((socket) => socket.terminate()));
  });

  it('refuses the upgrade past the bound with 429 and TOO_MANY_SUBSCRIPTIONS, ignoring X-Forwarded-For from an untrusted peer', async () => {
    const first = await Promise.all([1, 2, 3].map(() => openRawSocket(direct.server.graphqlUrl, TEST_ADMIN_KEY, { track })));
    expect(first.map((opening) => opening.outcome)).toEqual(['ack', 'ack', 'ack']);
    const refusal = { outcome: 'refused', status: 429, body: { errors: [{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', bound: 'address', limit: 3 } }] } };
    expect(await openRawSocket(direct.server.graphqlUrl, TEST_ADMIN_KEY, { track })).toMatchObject(refusal);
    // A hostile client names another address: not believed without a trusted proxy.
    expect(await openRawSocket(direct.server.graphqlUrl, TEST_ADMIN_KEY, { track, headers: { 'x-forwarded-for': '198.51.100.7' } })).toMatchObject(refusal);
    // A closed socket gives its place back.
    (first[0] as { live: RawLiveSocket }).live.socket.close();
    await eventually(() => direct.server.services.live.sockets.open === 2, 5000, 'the closed socket\'s place given back');
    expect((await openRawSocket(direct.server.graphqlUrl, TEST_ADMIN_KEY, { track })).outcome).toBe('ack');
  });

  it('counts the forwarded client behind a trusted proxy, where a spoofed hop in front does not help', async () => {
    const from = (address: string) => ({ track, headers: { 'x-forwarded-for': address } });
    const opened = await Promise.all([1, 2, 3].map(() => openRawSocket(proxied.server.graphqlUrl, TEST_ADMIN_KEY, from('198.51.100.7'))));
    expect(opened.map((opening) => opening.outcome)).toEqual(['ack', 'ack', 'ack']);
    expect(await openRawSocket(proxied.server.graphqlUrl, TEST_ADMIN_KEY, from('198.51.100.7'))).toMatchObject({ outcome: 'refused', status: 429 });
    // The proxy appends the address it saw; what the client put in front is not the client.
    expect(await openRawSocket(proxied.server.graphqlUrl, TEST_ADMIN_KEY, from('203.0.113.1, 198.51.100.7'))).toMatchObject({ outcome: 'refused', status: 429 });
    expect((await openRawSocket(proxied.server.graphqlUrl, TEST_ADMIN_KEY, from('198.51.100.8'))).outcome).toBe('ack');
    expect(proxied.server.services.live.sockets.fromAddress('198.51.100.7')).toBe(3);
  });
});

describe('10,000 refused subscription attempts from one client token', () => {
  let server: MeasuredServer;
  let admin: GraphQLTestClient;
  beforeAll(async () => {
    const measured = await measuredServerWithCatalog();
    ({ server, admin } = measured);
    cleanups.push(() => measured.stop());
  });

  it('are all refused with TOO_MANY_SUBSCRIPTIONS, keep nothing on the heap, and leave resident memory bounded', async () => {
    const token = await tokenFor(admin, 'acme');
    const sockets: RawLiveSocket[] = [];
    for (let index = 0; index < SOCKETS; index++) sockets.push(await rawSocket(server.graphqlUrl, token, { track: (socket) => cleanups.push(async () => socket.terminate()) }));
    for (let index = 0; index < SUBSCRIPTIONS; index++) sockets[index % SOCKETS]!.subscribe(`held${index}`, 'acme');
    for (let index = 0; index < SUBSCRIPTIONS; index++) expect(isAccepted(await sockets[index % SOCKETS]!.answer(`held${index}`))).toBe(true);
    // 1,000 attempts per socket, sent at once, in rounds of 100 so the test's own reading keeps
    // up. The first round warms the process: any traffic first touches the pages of V8's young
    // generation, which then stay resident (heapTotal does not move); what 10,000 refusals may
    // not do is grow past that.
    const round = async (round: number) => {
      for (const [index, socket] of sockets.entries()) {
        for (let attempt = 0; attempt < 100; attempt++) socket.subscribe(`try-${round}-${index}-${attempt}`, 'acme');
      }
      await Promise.all(sockets.map((socket, index) => socket.until(() => socket.answered.has(`try-${round}-${index}-99`), 30_000, `round ${round}`)));
    };
    await round(-1);
    const before = await server.memoryAfterGC();
    for (let index = 0; index < 10; index++) await round(index);
    const refusals = sockets.flatMap((socket) => socket.messages.filter((message) => message.id?.startsWith('try-') && !message.id.startsWith('try--1-')));
    expect(refusals).toHaveLength(10_000);
    expect(refusals.filter(isAccepted)).toEqual([]);
    expect(new Set(refusals.map((message) => refusalOf(message)?.code))).toEqual(new Set(['TOO_MANY_SUBSCRIPTIONS']));

    const after = await server.memoryAfterGC();
    const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
    console.log(`heap ${mib(before.heapUsed)} → ${mib(after.heapUsed)}, external ${mib(before.external)} → ${mib(after.external)}, rss ${mib(before.rss)} → ${mib(after.rss)} after 10,000 refused subscription attempts`);
    // What a refusal may keep: nothing. The heap and Node's buffers after collection are what the
    // server retains; a refusal that kept its subscription state would leave ~10,000 of them there.
    expect(after.heapUsed + after.external - (before.heapUsed + before.external)).toBeLessThan(4 * MiB);
    // Resident memory also counts pages the allocator keeps after a busy moment, which grow with
    // how many answers were queued at once (more on a loaded machine): bounded, far from the
    // +350 MiB that 10,000 accepted subscriptions cost before the bound.
    expect(after.rss - before.rss).toBeLessThan(48 * MiB);
  }, 120_000);
});
