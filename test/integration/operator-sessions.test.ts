import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveClient } from '../support/live-client.js';
import { asSession, GOOD_PASSWORD, postAuth, signedInOperator } from '../support/operators.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { budget } from '../support/time-budget.js';

/**
 * An owner sees each operator's signed-in browsers and ends one (a lost laptop): that session is
 * refused at once and its live socket closed, the operator's other sessions go on, the audit log
 * names who ended it, and nobody but an owner (or an admin key) may list or end sessions.
 */
const ME = `{ me { operator { email } } }`;
const SESSIONS = `query ($id: ID!) { operatorSessions(operatorId: $id) { id createdAt lastSeenAt expiresAt address userAgent current } }`;
const END = `mutation ($operatorId: ID!, $sessionId: ID!) { endOperatorSession(operatorId: $operatorId, sessionId: $sessionId) { email state } }`;

describe('operator sessions', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t?.stop());

  it('lists an operator\'s sessions without secrets, and ends one at once while the others go on', async () => {
    const owner = await signedInOperator(t, 'session-owner@example.com', 'OWNER');
    const { id, session: first } = await signedInOperator(t, 'laptops@example.com', 'SUPPORT');
    const second = await postAuth(t.url, '/auth/login', { email: 'laptops@example.com', password: GOOD_PASSWORD }, { headers: { 'user-agent': 'Second laptop' } });
    expect(second.status).toBe(200);

    const listed = await asSession(t.server.graphqlUrl, owner.session, SESSIONS, { id });
    expect(listed.errors).toEqual([]);
    const sessions = listed.data.operatorSessions;
    expect(sessions).toHaveLength(2);
    // Newest first; none is the owner's own; nothing a browser could sign in with.
    expect(sessions[0].userAgent).toBe('Second laptop');
    expect(sessions.map((session: any) => session.current)).toEqual([false, false]);
    for (const session of sessions) {
      expect(session.id).toMatch(/^[0-9a-f]{32}$/);
      expect(JSON.stringify(session)).not.toContain(first);
      expect(JSON.stringify(session)).not.toContain(second.sessionCookie!);
    }
    const own = await asSession(t.server.graphqlUrl, owner.session, SESSIONS, { id: owner.id });
    expect(own.data.operatorSessions.map((session: any) => session.current)).toEqual([true]);

    // The second laptop's live socket is open; ending its session closes it and refuses it at once.
    await t.admin.request(`mutation { upsertAccount(input: { id: "session-watch", name: "W" }) { id } }`);
    const socket = liveClient(t.server.graphqlUrl, null, { cookie: `tollgate_session=${second.sessionCookie}`, origin: t.url });
    try {
      await socket.subscribe('session-watch').until(() => true, budget(5000), 'the first push');
      const ended = await asSession(t.server.graphqlUrl, owner.session, END, { operatorId: id, sessionId: sessions[0].id });
      expect(ended.errors).toEqual([]);
      expect(ended.data.endOperatorSession).toEqual({ email: 'laptops@example.com', state: 'ACTIVE' });
      expect((await asSession(t.server.graphqlUrl, second.sessionCookie, ME)).status).toBe(401);
      expect((await socket.closed(budget(5000))).code).toBe(4401);
    } finally {
      await socket.dispose();
    }
    expect((await asSession(t.server.graphqlUrl, first, ME)).data.me.operator.email).toBe('laptops@example.com');
    const after = await asSession(t.server.graphqlUrl, owner.session, SESSIONS, { id });
    expect(after.data.operatorSessions.map((session: any) => session.id)).toEqual([sessions[1].id]);

    // Ended already: said so, in the server's words.
    const again = await asSession(t.server.graphqlUrl, owner.session, END, { operatorId: id, sessionId: sessions[0].id });
    expect(again.errors[0].extensions.code).toBe('SESSION_NOT_FOUND');

    const { auditLog } = await t.admin.request(`{ auditLog(action: "operator.end_session", first: 5) { edges { node { actor actorKind entityId after } } } }`);
    expect(auditLog.edges.map((edge: any) => edge.node)).toEqual([
      { actor: 'session-owner@example.com', actorKind: 'OPERATOR', entityId: id, after: { sessionEnded: sessions[0].id } },
    ]);
  });

  it('refuses every role but OWNER, and answers OPERATOR_NOT_FOUND for an unknown operator', async () => {
    const billing = await signedInOperator(t, 'not-an-owner@example.com', 'BILLING');
    const listed = await asSession(t.server.graphqlUrl, billing.session, SESSIONS, { id: billing.id });
    expect(listed.errors[0].extensions.code).toBe('FORBIDDEN');
    const ended = await asSession(t.server.graphqlUrl, billing.session, END, { operatorId: billing.id, sessionId: '0'.repeat(32) });
    expect(ended.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await asSession(t.server.graphqlUrl, billing.session, ME)).status).toBe(200);
    const unknown = await t.admin.raw(SESSIONS, { id: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.errors[0].extensions.code).toBe('OPERATOR_NOT_FOUND');
    // The admin key may: it manages access.
    const { operatorSessions } = await t.admin.request(SESSIONS, { id: billing.id });
    expect(operatorSessions.map((session: any) => session.current)).toEqual([false]);
  });
});
