import type { ShadowDisagreement } from '../vocabulary/index.js';

/** What the host's legacy check answered: access, and its limit when it has one to compare. */
export interface LegacyAnswer {
  allowed: boolean;
  /** null: the legacy check knows no limit here (a switch), so limits are not compared. */
  limit: number | null;
}

/** Whether the two answers agree, and if not, the one reason that matters most. */
export interface ShadowVerdict {
  agreed: boolean;
  disagreement: ShadowDisagreement | null;
}

/**
 * Compares Tollgate's decision with the legacy answer. Access first: a request one side allows
 * and the other refuses is an ACCESS disagreement whatever the limits say, because that is the
 * difference a customer would feel at cut-over. Otherwise a legacy limit that is not Tollgate's
 * (an unlimited Tollgate limit included) is a LIMIT disagreement. Pure, so it is tested by table.
 *
 * @example
 * shadowVerdict({ allowed: true, limit: 100 }, { allowed: true, limit: 50 }); // { agreed: false, disagreement: 'LIMIT' }
 */
export function shadowVerdict(tollgate: { allowed: boolean; limit: number | null }, legacy: LegacyAnswer): ShadowVerdict {
  if (tollgate.allowed !== legacy.allowed) return { agreed: false, disagreement: 'ACCESS' };
  if (legacy.limit !== null && legacy.limit !== tollgate.limit) return { agreed: false, disagreement: 'LIMIT' };
  return { agreed: true, disagreement: null };
}
