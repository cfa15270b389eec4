import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { isQuantity, MAX_QUANTITY, quantityOutOfRange } from './quantity.js';

function parse(value: unknown, node?: ValueNode): number {
  if (isQuantity(value)) return value;
  const shown = typeof value === 'number' || typeof value === 'bigint' ? String(value) : JSON.stringify(value) ?? String(value);
  const error = quantityOutOfRange(`Quantity cannot represent ${shown}`);
  throw new GraphQLError(error.message, { nodes: node, extensions: error.extensions });
}

/**
 * GraphQL scalar for amounts, limits and counters: a whole number from 0 to 2^53−1, a plain
 * JSON number on the wire. GraphQL's `Int` is 32-bit, which a month of metered tokens or bytes
 * passes; a string-encoded 64-bit type would make every client parse strings. Values outside
 * the range are refused with code QUANTITY_OUT_OF_RANGE before anything runs.
 */
export const Quantity = new GraphQLScalarType<number, number>({
  name: 'Quantity',
  description: `A whole number from 0 to ${MAX_QUANTITY} (2^53-1), sent as a JSON number: amounts, limits and counters.`,
  serialize(value) {
    if (isQuantity(value)) return value;
    throw new GraphQLError(`Quantity cannot serialise ${String(value)}.`);
  },
  parseValue: (value) => parse(value),
  parseLiteral(node) {
    if (node.kind === Kind.INT) return parse(Number(node.value), node);
    throw quantityOutOfRange(`Quantity cannot represent a ${node.kind === Kind.FLOAT ? 'fraction' : 'non-number'}`);
  },
});
