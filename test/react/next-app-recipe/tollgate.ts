import { createTollgate } from '@tollgate/sdk/server';

/** The backend's Tollgate client, with the server key: server code only, never in a browser. */
export const tollgate = createTollgate({ url: process.env.TOLLGATE_URL!, apiKey: process.env.TOLLGATE_SERVER_KEY! });
