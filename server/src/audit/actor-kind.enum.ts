import { registerEnumType } from 'type-graphql';
import { ACTOR_KINDS, enumObject } from '../vocabulary/index.js';

/** GraphQL enum of who makes audited changes, derived from the vocabulary. */
export const ActorKind = enumObject(ACTOR_KINDS);

registerEnumType(ActorKind, {
  name: 'ActorKind',
  valuesConfig: {
    OPERATOR: { description: 'A person signed in to the console; actor is their email, actorId their id.' },
    API_KEY: { description: 'A program with an API key; actor is the key\'s name, actorId its id (null for TOLLGATE_ADMIN_KEY).' },
    STRIPE: { description: 'A Stripe event applied by billing sync.' },
    LIFECYCLE: { description: 'Time: a scheduled plan change or a cancellation at period end taking effect.' },
    RECONCILIATION: { description: 'Billing reconciliation fixing a mismatch.' },
    MIGRATION: { description: 'A plan migration moving the account; actor is who started it, actorId the migration\'s id.' },
  },
});
