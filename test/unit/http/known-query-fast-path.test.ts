import { describe, expect, it } from 'vitest';
import { knownQueryFastPath } from '../../../server/src/http/known-query-fast-path.js';
import { KnownQueries } from '../../../server/src/http/known-queries.js';
import { CompiledQueryCache } from '../../../server/src/http/query-caches.js';

/** The fast path's decisions, with a compiled query and a credential check standing in for the real ones. */
describe('the known-query fast path', () => {
  const setup = (result: unknown = { data: { __typename: 'Query' } }, principal: unknown = { kind: 'server', name: 'backend', keyId: 'k' }) => {
    const known = new KnownQueries();
    const compiled = new CompiledQueryCache();
    const ran: unknown[] = [];
    const query = { query: async (_root: unknown, context: unknown, variables: unknown) => (ran.push({ context, variables }), result) };
    (compiled as unknown as { entries: { set(key: string, value: unknown): Promise<void> } }).entries.set('hash:', { query, bytes: 1 });
    known.remember('{ __typename }', null, 'hash:');
    const services = { auth: { authenticate: async () => principal } };
    const handler = knownQueryFastPath(services as never, known, compiled);
    const sent: { code?: number; headers: Record<string, string>; body?: string } = { headers: {} };
    const reply = {
      code(code: number) { sent.code = code; return reply; },
      header(name: string, value: string) { sent.headers[name] = value; return reply; },
      send(body: string) { sent.body = body; return reply; },
    };
    const ask = (body: unknown, headers: Record<string, string> = {}, method = 'POST') =>
      handler({ method, body, headers: { authorization: 'Bearer x', ...headers } } as never, reply as never);
    return { ask, sent, ran };
  };

  it('answers a known text itself, with the context Apollo would build and Apollo\'s bytes', async () => {
    const { ask, sent, ran } = setup();
    expect(await ask({ query: '{ __typename }', variables: { a: 1 } })).toBeDefined();
    expect(sent).toEqual({ code: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"data":{"__typename":"Query"}}\n' });
    expect(ran).toEqual([{ context: { principal: { kind: 'server', name: 'backend', keyId: 'k' }, services: expect.anything() }, variables: { a: 1 } }]);
  });

  it.each([
    ['an unknown text', { query: '{ __typename  }' }, {}, 'POST'],
    ['another operation name', { query: '{ __typename }', operationName: 'X' }, {}, 'POST'],
    ['a GET', { query: '{ __typename }' }, {}, 'GET'],
    ['a batch', [{ query: '{ __typename }' }], {}, 'POST'],
    ['a persisted query', { query: '{ __typename }', extensions: { persistedQuery: {} } }, {}, 'POST'],
    ['variables that are not an object', { query: '{ __typename }', variables: [1] }, {}, 'POST'],
    ['an Accept header Apollo answers otherwise', { query: '{ __typename }' }, { accept: 'text/html' }, 'POST'],
  ])('leaves %s to Apollo', async (_name, body, headers, method) => {
    const { ask, sent, ran } = setup();
    expect(await ask(body, headers, method)).toBeUndefined();
    expect(sent.body).toBeUndefined();
    expect(ran).toEqual([]);
  });

  it('leaves a result with errors to Apollo, which formats them', async () => {
    const { ask, sent } = setup({ data: null, errors: [new Error('no')] });
    expect(await ask({ query: '{ __typename }' })).toBeUndefined();
    expect(sent.body).toBeUndefined();
  });

  it('leaves an unusable credential to Apollo, which refuses it, and runs nothing', async () => {
    const { ask, ran } = setup(undefined, { kind: 'anonymous', problem: 'unknown' });
    expect(await ask({ query: '{ __typename }' })).toBeUndefined();
    expect(ran).toEqual([]);
  });

  it('keeps at most 2,000 texts, forgetting the oldest first', () => {
    const known = new KnownQueries();
    for (let i = 0; i < 2_001; i += 1) known.remember(`{ a${i}: __typename }`, null, `k${i}`);
    expect(known.keyOf('{ a0: __typename }', null)).toBeUndefined();
    expect(known.keyOf('{ a2000: __typename }', null)).toBe('k2000');
  });
});
