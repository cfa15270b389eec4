export { findUpgradeOffers, type UpgradeOffer } from './find-upgrade-offers.js';
export { OffersService } from './offers.service.js';
export { UpgradeOfferType } from './upgrade-offer.type.js';
