export { loadConfig, type TollgateConfig } from './config.js';
