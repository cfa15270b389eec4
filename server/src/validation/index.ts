export { badUserInput, validateInput, type InvalidField } from './validate-input.js';
export * as rules from './input-rules.js';
