/** What an upgrade offer sells: another plan, or units of an add-on. */
export const OFFER_KINDS = ['PLAN', 'ADD_ON'] as const;

/** What an upgrade offer sells. */
export type OfferKind = (typeof OFFER_KINDS)[number];
