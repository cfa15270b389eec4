export { loadConfig, type LiveConfig, type TollgateConfig } from './config.js';
