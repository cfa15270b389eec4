import { registerEnumType } from 'type-graphql';

/** GraphQL enum: what an upgrade offer sells. */
export const OfferKind = { PLAN: 'PLAN', ADD_ON: 'ADD_ON' } as const;

registerEnumType(OfferKind, { name: 'OfferKind', description: 'PLAN: move to another plan. ADD_ON: buy units on top of the plan.' });
