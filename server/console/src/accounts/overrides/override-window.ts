import type { AccountOverrideFragment } from '../../generated/graphql.js';

/** Where an override stands now: in force, still to start, or over (ended or revoked). */
export type OverrideStanding = 'active' | 'scheduled' | 'past';

/** The standing of an override at `now`. */
export function overrideStanding(override: AccountOverrideFragment, now: Date): OverrideStanding {
  if (override.revokedAt) return 'past';
  if (override.active) return 'active';
  return new Date(override.startsAt) > now ? 'scheduled' : 'past';
}

/** Expiry presets offered by the override form, in days from the start. */
export const EXPIRY_PRESETS = [7, 14, 30] as const;

/** The end of an override starting at `start` that lasts `days` days. */
export function endAfterDays(start: Date, days: number): Date {
  return new Date(start.getTime() + days * 86_400_000);
}

/** The last instant of the month `start` is in (the first of the next month, 00:00 UTC). */
export function endOfMonth(start: Date): Date {
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

/** A <input type="datetime-local"> value for an instant, in the reader's zone. */
export function toLocalInput(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}
