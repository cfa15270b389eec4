/** Upgrade offers: what would unlock a refused request. Other domains import from here, never from the files. */
export { findUpgradeOffers, type UpgradeOffer } from './find-upgrade-offers.js';
export { OffersService } from './offers.service.js';
export { UpgradeOfferType } from './upgrade-offer.type.js';
export { OffersResolver } from './offers.resolver.js';
export type { OffersContext } from './offers.context.js';
