/** What a usage ledger row records. */
export const USAGE_EVENT_KINDS = ['CONSUME', 'RELEASE', 'SET', 'REPORT'] as const;

/** What a usage ledger row records. */
export type UsageEventKind = (typeof USAGE_EVENT_KINDS)[number];
