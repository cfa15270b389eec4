/** The transports, each a Fastify plugin the server mounts: GraphQL over HTTP and over WebSocket, health routes, Stripe webhooks, operators' sign-in, CORS, metrics, the console's files. Other domains import from here, never from the files. */
export { crossOrigin, withoutCrossOriginSession } from './cors-plugin.js';
export { graphqlOverHttp } from './graphql-plugin.js';
export { graphqlOverWebSocket, LiveCloseCode, type GraphQLOverWebSocketOptions } from './graphql-ws-plugin.js';
export { healthRoutes } from './health-plugin.js';
export { METRICS_PATH, metricsRoute } from './metrics-plugin.js';
export { STRIPE_WEBHOOK_PATH, stripeWebhooks } from './stripe-webhook-plugin.js';
export { CONSOLE_PATH, consoleRoutes, type ConsoleRouteOptions } from './console-plugin.js';
export { authRoutes, type AuthRoutesOptions } from './auth-routes-plugin.js';
export { SESSION_COOKIE } from './session-cookie.js';
