import { describe, expect, it } from 'vitest';
import { notificationPayloads, type Change } from '../../../server/src/db/change-feed.js';

describe('change feed payloads', () => {
  it('sends a single-scope change as one payload', () => {
    expect(notificationPayloads({ scope: 'account', accountId: 'acme' })).toEqual(['{"scope":"account","accountId":"acme"}']);
    expect(notificationPayloads({ scope: 'catalog' })).toEqual(['{"scope":"catalog"}']);
  });

  it('sends nothing for a batch that names no account', () => {
    expect(notificationPayloads({ scope: 'accounts', accountIds: [] })).toEqual([]);
  });

  it('splits a batch of 500 longest account ids into payloads under PostgreSQL\'s 8000-byte limit, losing none', () => {
    const accountIds = Array.from({ length: 500 }, (_, index) => `${String(index).padStart(3, '0')}${'x'.repeat(125)}`);
    const payloads = notificationPayloads({ scope: 'accounts', accountIds });
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThan(8000);
    const received = payloads.flatMap((payload) => (JSON.parse(payload) as Extract<Change, { scope: 'accounts' }>).accountIds);
    expect(received).toEqual(accountIds);
  });
});
