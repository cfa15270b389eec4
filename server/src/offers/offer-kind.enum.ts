import { registerEnumType } from 'type-graphql';
import { enumObject, OFFER_KINDS } from '../vocabulary/index.js';

/** GraphQL enum: what an upgrade offer sells, derived from the vocabulary. */
export const OfferKind = enumObject(OFFER_KINDS);

registerEnumType(OfferKind, { name: 'OfferKind', description: 'PLAN: move to another plan. ADD_ON: buy units on top of the plan.' });
