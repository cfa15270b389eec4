import { createTollgate } from '@tollgate/sdk/server';
import { startNotesApi } from './notes-api.js';

/** `npm start -w examples/host-api`: the notes API against the Tollgate of TOLLGATE_URL. */
const tollgateUrl = process.env.TOLLGATE_URL ?? 'http://127.0.0.1:4000/graphql';
const apiKey = process.env.TOLLGATE_SERVER_KEY;
if (!apiKey) {
  console.error('Set TOLLGATE_SERVER_KEY to a Tollgate server key (npm start prints one on first start).');
  process.exit(1);
}
const api = await startNotesApi({ tollgate: createTollgate({ url: tollgateUrl, apiKey }), port: Number(process.env.PORT ?? 4001) });
console.log(`Notes API on ${api.url}/graphql (send x-account-id), using Tollgate at ${tollgateUrl}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void api.close().then(() => process.exit(0)));
