import type { CatalogDeskQuery } from '../generated/graphql.js';

/** A plan as the pricing desk reads it, with every version. */
export type DeskPlan = CatalogDeskQuery['plans'][number];
/** One version of a plan, with how many subscriptions are on it. */
export type DeskVersion = DeskPlan['versions'][number];
/** A feature of the catalog. */
export type DeskFeature = CatalogDeskQuery['features'][number];
/** An add-on with its grants. */
export type DeskAddOn = CatalogDeskQuery['addOns'][number];

/** The version a draft would replace: the plan's newest published version before it (null for a first version). */
export function replacedVersion(plan: DeskPlan, version: DeskVersion): DeskVersion | null {
  const older = plan.versions.filter((entry) => entry.status !== 'DRAFT' && entry.version < version.version);
  return older.length ? older[older.length - 1] : null;
}

/** The words of a version's status. */
export const STATUS_WORDS = { DRAFT: 'Draft', PUBLISHED: 'Published', RETIRED: 'Retired' } as const;
/** The tone of a version's status badge. */
export const STATUS_TONE = { DRAFT: 'warn', PUBLISHED: 'ok', RETIRED: 'neutral' } as const;
