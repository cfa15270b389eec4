export { loadConfig, type LiveConfig, type OperatorsConfig, type StripeApiBase, type TollgateConfig } from './config.js';
