/**
 * Why Tollgate and a host's legacy check disagreed in shadow mode: ACCESS (one allows, the other
 * refuses) outranks LIMIT (both agree on access, but the limits differ), so a comparison has one.
 */
export const SHADOW_DISAGREEMENTS = ['ACCESS', 'LIMIT'] as const;

/** Why a shadow comparison disagreed. */
export type ShadowDisagreement = (typeof SHADOW_DISAGREEMENTS)[number];
