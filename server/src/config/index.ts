export { loadConfig, type LiveConfig, type StripeApiBase, type TollgateConfig } from './config.js';
