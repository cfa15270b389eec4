/** How a feature is limited. The one list the TypeScript type, GraphQL, the ORM and zod derive from. */
export const FEATURE_KINDS = ['SWITCH', 'QUANTITY', 'METERED'] as const;

/** How a feature is limited: on/off, a gauge, or usage that resets each period. */
export type FeatureKind = (typeof FEATURE_KINDS)[number];
