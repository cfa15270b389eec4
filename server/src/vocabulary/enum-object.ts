/**
 * `{ A: 'A', B: 'B' }` from `['A', 'B']`: the object shape type-graphql's `registerEnumType`
 * wants, derived from a vocabulary list so the values are never written twice.
 */
export function enumObject<const Values extends readonly string[]>(values: Values): { readonly [V in Values[number]]: V } {
  return Object.fromEntries(values.map((value) => [value, value])) as { readonly [V in Values[number]]: V };
}
