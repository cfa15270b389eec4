export { badUserInput, validateInput, type InvalidField } from './validate-input.js';
export * as rules from './input-rules.js';
export { fromBigint, isQuantity, MAX_QUANTITY, quantityOutOfRange, quantityRule } from './quantity.js';
export { Quantity } from './quantity.scalar.js';
