import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { withoutCrossOriginSession } from '../../../server/dist/http/index.js';

/**
 * The rule the CORS plugin and the WebSocket upgrade apply before anything reads a cookie: the
 * operators' session cookie is kept only on a request from Tollgate's own origin (no Origin
 * header, or one whose host is the Host the request was sent to); every other cookie stays.
 */
const headersAfter = (headers: IncomingHttpHeaders) => {
  const copy = { ...headers };
  withoutCrossOriginSession(copy);
  return copy;
};

describe('withoutCrossOriginSession', () => {
  it.each([
    ['no Origin (a navigation, a server-side client)', { host: 'tollgate.example.com', cookie: 'tollgate_session=s1' }, 'tollgate_session=s1'],
    ['Tollgate\'s own origin', { host: 'tollgate.example.com', origin: 'https://tollgate.example.com', cookie: 'tollgate_session=s1' }, 'tollgate_session=s1'],
    ['its own origin, with a port', { host: '127.0.0.1:4000', origin: 'http://127.0.0.1:4000', cookie: 'tollgate_session=s1' }, 'tollgate_session=s1'],
    ['its own origin, the host in capitals', { host: 'Tollgate.Example.com', origin: 'https://tollgate.example.com', cookie: 'tollgate_session=s1' }, 'tollgate_session=s1'],
    ['another origin of the same site', { host: 'tollgate.example.com', origin: 'https://app.example.com', cookie: 'tollgate_session=s1' }, undefined],
    ['another port of the same host', { host: '127.0.0.1:4000', origin: 'http://127.0.0.1:5173', cookie: 'tollgate_session=s1' }, undefined],
    ['an opaque origin (sandboxed frame, file:)', { host: 'tollgate.example.com', origin: 'null', cookie: 'tollgate_session=s1' }, undefined],
    ['another origin: the other cookies stay', { host: 'tollgate.example.com', origin: 'https://evil.example', cookie: 'theme=dark; tollgate_session=s1; lang=en' }, 'theme=dark; lang=en'],
    ['a cookie that only starts with the name', { host: 'tollgate.example.com', origin: 'https://evil.example', cookie: 'tollgate_session_hint=1' }, 'tollgate_session_hint=1'],
    ['no cookie at all', { host: 'tollgate.example.com', origin: 'https://evil.example' }, undefined],
  ] as [string, IncomingHttpHeaders, string | undefined][])('%s', (_case, headers, cookie) => {
    expect(headersAfter(headers).cookie).toBe(cookie);
  });
});
