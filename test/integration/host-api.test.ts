import express from 'express';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNotesApi, type NotesApi } from '../../examples/host-api/dist/notes-api.js';
import { createTollgate, requireFeature, TollgateUnavailableError, type TollgateClient } from '../../client-sdk/dist/server/index.js';
import { createFeature, createPublishedPlan } from '../support/fixtures.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * A host product (examples/host-api) guarded by Tollgate through @tollgate/sdk/server, against a
 * real Tollgate server: the contract's error shape from its own resolvers, the 403 of the route
 * guards, and what happens when Tollgate is down.
 */
let t: TestServer;
let tollgate: TollgateClient;
let serverKey: string;
let notes: NotesApi;
let expressUrl: string;
let closeExpress: () => void;

beforeAll(async () => {
  t = await startTestServer();
  await createFeature(t.admin, { key: 'notes', kind: 'QUANTITY' });
  await createFeature(t.admin, { key: 'export_csv', kind: 'SWITCH' });
  await createPublishedPlan(t.admin, { key: 'free', rank: 0, isDefault: true }, [{ feature: 'notes', limit: 2 }]);
  await createPublishedPlan(t.admin, { key: 'pro', rank: 10, price: 2900 }, [{ feature: 'notes', limit: 100 }, { feature: 'export_csv' }]);
  const { createApiKey } = await t.admin.request(`mutation { createApiKey(input: { name: "notes backend", role: SERVER }) { secret } }`);
  serverKey = createApiKey.secret;
  tollgate = createTollgate({ url: t.server.graphqlUrl, apiKey: serverKey });
  notes = await startNotesApi({ tollgate });

  const app = express();
  app.get('/export', requireFeature(tollgate, 'export_csv', { accountId: (request: express.Request) => request.header('x-account-id') }), (_request, response) => {
    response.json({ exported: true });
  });
  const listener = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => listener.once('listening', resolve));
  expressUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  closeExpress = () => listener.close();
});
afterAll(async () => {
  closeExpress?.();
  await notes?.close();
  await t?.stop();
});

/** The notes app as one of its signed-in accounts would call it. */
const asAccount = (accountId: string, api: NotesApi = notes) =>
  new GraphQLTestClient(`${api.url}/graphql`, null, { 'x-account-id': accountId });
const CREATE = `mutation ($title: String!) { createNote(title: $title) { id title } }`;

describe('a host API guarded by Tollgate', () => {
  it('refuses a note past the plan\'s limit with LIMIT_EXCEEDED and every field of the contract', async () => {
    const acme = asAccount('acme');
    expect((await acme.raw(CREATE, { title: 'one' })).errors).toEqual([]);
    expect((await acme.raw(CREATE, { title: 'two' })).errors).toEqual([]);
    const third = await acme.raw(CREATE, { title: 'three' });
    expect(third.data).toBeNull();
    expect(third.errors[0]?.extensions).toEqual({
      code: 'LIMIT_EXCEEDED', feature: 'notes', accountId: 'acme', reason: 'LIMIT_REACHED', limit: 2, used: 2, requested: 1,
    });
    expect(third.errors[0]?.message).toMatch(/2 of 2 used/);
    expect((await acme.request(`{ notes { title } }`)).notes).toEqual([{ title: 'one' }, { title: 'two' }]);
  });

  it('refuses an export the plan lacks with ENTITLEMENT_DENIED', async () => {
    const result = await asAccount('acme').raw(`mutation { exportNotes }`);
    expect(result.errors[0]?.extensions).toEqual({ code: 'ENTITLEMENT_DENIED', feature: 'export_csv', accountId: 'acme', reason: 'NOT_IN_PLAN' });
  });

  it('answers 403 with the same code and fields from the Fastify hook and the Express middleware', async () => {
    for (const url of [`${notes.url}/notes.csv`, `${expressUrl}/export`]) {
      const response = await fetch(url, { headers: { 'x-account-id': 'acme' } });
      expect(response.status, url).toBe(403);
      expect(await response.json()).toEqual({
        error: {
          code: 'ENTITLEMENT_DENIED', feature: 'export_csv', accountId: 'acme', reason: 'NOT_IN_PLAN',
          message: '"export_csv" is not included in the current plan. Upgrade to use it.',
        },
      });
    }
    expect((await fetch(`${expressUrl}/export`)).status).toBe(401);
  });

  it('lets everything through once the account upgrades, without a restart', async () => {
    const acme = asAccount('acme');
    await acme.request(`mutation { upgradePlan(plan: "pro") }`);
    expect((await acme.raw(CREATE, { title: 'three' })).errors).toEqual([]);
    expect((await acme.request(`mutation { exportNotes }`)).exportNotes).toMatch(/^id,title,createdAt\n.*"one"/);
    const csv = await fetch(`${notes.url}/notes.csv`, { headers: { 'x-account-id': 'acme' } });
    expect(csv.status).toBe(200);
    expect(await (await fetch(`${expressUrl}/export`, { headers: { 'x-account-id': 'acme' } })).json()).toEqual({ exported: true });
  });

  it('gives a note back to the quota when it is deleted', async () => {
    const globex = asAccount('globex');
    const first = (await globex.request(CREATE, { title: 'a' })).createNote;
    await globex.request(CREATE, { title: 'b' });
    expect((await globex.raw(CREATE, { title: 'c' })).errors[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    expect((await globex.request(`mutation ($id: ID!) { deleteNote(id: $id) }`, { id: first.id })).deleteNote).toBe(true);
    expect((await globex.raw(CREATE, { title: 'c' })).errors).toEqual([]);
  });

  it('types the Node client\'s answers and offers', async () => {
    const decision = await tollgate.check('globex', 'notes', { amount: 1 });
    expect(decision).toMatchObject({ allowed: false, reason: 'LIMIT_REACHED', limit: 2, used: 2, stale: false });
    const offers = await tollgate.upgradeOffers('globex', 'notes');
    expect(offers.map((offer) => [offer.key, offer.price.formatted, offer.recommended])).toEqual([['pro', '$29.00', true]]);
    const refused = await tollgate.consume('globex', 'notes');
    expect(refused).toMatchObject({ ok: false, offers: [{ key: 'pro' }] });
  });

  it('fails closed when Tollgate is unreachable, and serves a stale check only when asked', async () => {
    const refused = createTollgate({ url: 'http://127.0.0.1:9/graphql', apiKey: serverKey, timeoutMs: 1000 });
    await expect(refused.consume('acme', 'notes')).rejects.toBeInstanceOf(TollgateUnavailableError);
    await expect(refused.check('acme', 'export_csv', { allowStale: true })).rejects.toBeInstanceOf(TollgateUnavailableError);

    let reachable = true;
    const client = createTollgate({
      url: t.server.graphqlUrl,
      apiKey: serverKey,
      fetch: (input, init) => (reachable ? fetch(input, init) : Promise.reject(new TypeError('fetch failed'))),
    });
    const guarded = await startNotesApi({ tollgate: client });
    try {
      const acme = asAccount('acme', guarded);
      expect(await client.check('acme', 'export_csv')).toMatchObject({ allowed: true, stale: false });

      reachable = false;
      await expect(client.check('acme', 'export_csv')).rejects.toBeInstanceOf(TollgateUnavailableError);
      expect(await client.check('acme', 'export_csv', { allowStale: true })).toMatchObject({ allowed: true, stale: true });
      await expect(client.consume('acme', 'notes')).rejects.toBeInstanceOf(TollgateUnavailableError);
      const note = await acme.raw(CREATE, { title: 'while down' });
      expect(note.data).toBeNull();
      expect((await fetch(`${guarded.url}/notes.csv`, { headers: { 'x-account-id': 'acme' } })).status).toBe(503);
      reachable = true;
      expect((await acme.request(`{ notes { title } }`)).notes).toEqual([]);
    } finally {
      await guarded.close();
    }
  });
});
