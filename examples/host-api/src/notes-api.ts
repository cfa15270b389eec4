import { ApolloServer } from '@apollo/server';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import { requireFeatureHook, type TollgateClient } from '@tollgate/sdk/server';
import Fastify, { type FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { checkoutNotConfigured, checkoutRequired } from './checkout-errors.js';
import { notesCsv, NotesStore } from './notes-store.js';
import type { Checkout } from './stripe-checkout.js';

/**
 * The product's own GraphQL API. Its resolvers know nothing of plans: they ask Tollgate, and a
 * refusal travels to the frontend as the contract's ENTITLEMENT_DENIED or LIMIT_EXCEEDED error.
 */
const typeDefs = `#graphql
  type Note { id: ID!, title: String!, createdAt: String! }
  "How this API sells plans."
  enum CheckoutMode {
    "Stripe Checkout: startCheckout, pay on Stripe's page; Stripe's webhook then changes the plan in Tollgate."
    STRIPE_CHECKOUT
    "No payments (started without STRIPE_API_KEY): upgradePlan changes the plan at once."
    DIRECT
  }
  type Query {
    "The signed-in account's notes."
    notes: [Note!]!
    "Which of startCheckout and upgradePlan buys a plan here."
    checkoutMode: CheckoutMode!
  }
  type Mutation {
    "Consumes one unit of the QUANTITY feature notes; LIMIT_EXCEEDED at the plan's limit."
    createNote(title: String!): Note!
    "Gives the unit back."
    deleteNote(id: ID!): Boolean!
    "Needs the SWITCH feature export_csv; ENTITLEMENT_DENIED without it."
    exportNotes: String!
    "Without Stripe (checkoutMode DIRECT): moves the account to a plan with the backend's server key."
    upgradePlan(plan: String!): Boolean!
    "With Stripe (checkoutMode STRIPE_CHECKOUT): a Checkout Session for the plan's price in Tollgate; returns the URL to send the browser to."
    startCheckout(plan: String!): String!
  }
`;

interface NotesContext {
  accountId: string;
}

/** Options of {@link startNotesApi}. */
export interface NotesApiOptions {
  tollgate: TollgateClient;
  /** Stripe Checkout (see createStripeCheckout); without it plans change at once through upgradePlan. */
  checkout?: Checkout;
  port?: number;
  host?: string;
}

/** A running notes API. */
export interface NotesApi {
  url: string;
  close(): Promise<void>;
}

/** The signed-in account: this example trusts an `x-account-id` header where a product has its session. */
function accountOf(request: FastifyRequest): string | undefined {
  const header = request.headers['x-account-id'];
  return typeof header === 'string' && header.length > 0 ? header : undefined;
}

/**
 * Starts the example product's API: GraphQL on /graphql, a CSV download on /notes.csv guarded by
 * the Fastify hook, and /client-token for the product's browser. With `checkout`, plans are
 * bought through Stripe Checkout (startCheckout); without, upgradePlan changes them at once.
 */
export async function startNotesApi(options: NotesApiOptions): Promise<NotesApi> {
  const { tollgate, checkout } = options;
  const store = new NotesStore();
  const known = new Set<string>();
  const app = Fastify();
  // The product creates the account in Tollgate the first time it sees it (a real one does so at sign-up).
  const ensureAccount = async (accountId: string) => {
    if (known.has(accountId)) return;
    await tollgate.upsertAccount(accountId, accountId);
    known.add(accountId);
  };

  const resolvers = {
    Query: {
      notes: (_: unknown, __: unknown, { accountId }: NotesContext) => store.list(accountId),
      checkoutMode: () => (checkout ? 'STRIPE_CHECKOUT' : 'DIRECT'),
    },
    Mutation: {
      createNote: async (_: unknown, { title }: { title: string }, { accountId }: NotesContext) => {
        await tollgate.consumeOrThrow(accountId, 'notes');
        return store.add(accountId, title);
      },
      deleteNote: async (_: unknown, { id }: { id: string }, { accountId }: NotesContext) => {
        if (!store.remove(accountId, id)) return false;
        await tollgate.release(accountId, 'notes');
        return true;
      },
      exportNotes: async (_: unknown, __: unknown, { accountId }: NotesContext) => {
        await tollgate.requireEntitlement(accountId, 'export_csv');
        return notesCsv(store.list(accountId));
      },
      upgradePlan: async (_: unknown, { plan }: { plan: string }, { accountId }: NotesContext) => {
        // With Stripe, a plan is paid for first: a direct change would give it away.
        if (checkout) throw checkoutRequired();
        await tollgate.changePlan(accountId, plan, { reason: 'upgraded in the notes app' });
        return true;
      },
      startCheckout: async (_: unknown, { plan }: { plan: string }, { accountId }: NotesContext) => {
        if (!checkout) throw checkoutNotConfigured();
        return checkout.start(accountId, plan);
      },
    },
  };

  const apollo = new ApolloServer<NotesContext>({
    typeDefs,
    resolvers,
    plugins: [fastifyApolloDrainPlugin(app)],
    includeStacktraceInErrorResponses: false,
  });
  await apollo.start();
  await app.register(fastifyApollo(apollo), {
    context: async (request) => {
      const accountId = accountOf(request);
      if (!accountId) {
        throw new GraphQLError('Sign in first: send x-account-id.', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
      }
      await ensureAccount(accountId);
      return { accountId };
    },
  });

  app.get('/notes.csv', { preHandler: requireFeatureHook(tollgate, 'export_csv', { accountId: accountOf }) }, async (request, reply) => {
    return reply.type('text/csv').send(notesCsv(store.list(accountOf(request)!)));
  });

  app.post('/client-token', async (request, reply) => {
    const accountId = accountOf(request);
    if (!accountId) return reply.code(401).send({ error: { code: 'UNAUTHENTICATED', message: 'Sign in first: send x-account-id.' } });
    await ensureAccount(accountId);
    return tollgate.createClientToken(accountId, 900);
  });

  const url = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  return { url, close: () => app.close() };
}
