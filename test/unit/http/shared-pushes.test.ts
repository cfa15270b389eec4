import { buildSchema, parse, type ExecutionArgs } from 'graphql';
import { describe, expect, it } from 'vitest';
import { nextMessage, SharedPushes, subscriptionShape } from '../../../server/src/http/shared-pushes.js';

/**
 * A push is executed and serialised once per event and subscription shape (document, operation
 * name, variables), whatever the number of subscribers: the resolver runs once, and every
 * subscriber of the shape gets the very same string.
 */
describe('shared pushes', () => {
  const schema = buildSchema(`
    type Change { accountId: ID! used: Int! }
    type Query { ok: Boolean }
    type Subscription { changed(accountId: ID!): Change }
  `);
  const query = 'subscription ($accountId: ID!) { changed(accountId: $accountId) { accountId used } }';
  const other = 'subscription ($accountId: ID!) { changed(accountId: $accountId) { used } }';

  function setup() {
    let executions = 0;
    const pushes = new SharedPushes((errors) => errors.map((error) => ({ message: error.message })));
    const args = (text: string, variables: Record<string, unknown>): ExecutionArgs => ({
      schema,
      document: parse(text),
      variableValues: variables,
      fieldResolver: (source, _args, _context, info) => {
        if (info.fieldName === 'changed') executions += 1;
        return (source as Record<string, unknown>)[info.fieldName];
      },
    });
    return { pushes, args, executions: () => executions };
  }

  it('executes an event once for 1,000 subscribers of one shape, and hands them all the same string', async () => {
    const { pushes, args, executions } = setup();
    const event = { changed: { accountId: 'acme', used: 3 } };
    const shape = subscriptionShape(query, undefined, { accountId: 'acme' });
    const payloads = await Promise.all(Array.from({ length: 1000 }, () => pushes.payload(event, shape, args(query, { accountId: 'acme' }))));
    expect(executions()).toBe(1);
    expect(new Set(payloads).size).toBe(1);
    expect(JSON.parse(payloads[0]!)).toEqual({ data: { changed: { accountId: 'acme', used: 3 } } });
  });

  it('executes again for another document, other variables or the next event', async () => {
    const { pushes, args, executions } = setup();
    const first = { changed: { accountId: 'acme', used: 3 } };
    const next = { changed: { accountId: 'acme', used: 4 } };
    await pushes.payload(first, subscriptionShape(query, undefined, { accountId: 'acme' }), args(query, { accountId: 'acme' }));
    expect(JSON.parse(await pushes.payload(first, subscriptionShape(other, undefined, { accountId: 'acme' }), args(other, { accountId: 'acme' })))).toEqual({ data: { changed: { used: 3 } } });
    await pushes.payload(first, subscriptionShape(query, 'Named', { accountId: 'acme' }), args(query, { accountId: 'acme' }));
    await pushes.payload(first, subscriptionShape(query, undefined, { accountId: 'acme', extra: 1 }), args(query, { accountId: 'acme' }));
    expect(JSON.parse(await pushes.payload(next, subscriptionShape(query, undefined, { accountId: 'acme' }), args(query, { accountId: 'acme' })))).toEqual({
      data: { changed: { accountId: 'acme', used: 4 } },
    });
    expect(executions()).toBe(5);
  });

  it('wraps the shared payload in each subscriber\'s own next message', () => {
    const message = nextMessage('sub "1"', '{"data":{"changed":null}}');
    expect(JSON.parse(message)).toEqual({ id: 'sub "1"', type: 'next', payload: { data: { changed: null } } });
  });
});
