export { loadConfig, type StripeApiBase, type TollgateConfig } from './config.js';
