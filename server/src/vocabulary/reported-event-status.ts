/** What happened to one event of a reportUsage batch. */
export const REPORTED_EVENT_STATUSES = ['ACCEPTED', 'REFUSED', 'DUPLICATE', 'FAILED'] as const;

/** What happened to one reported event. */
export type ReportedEventStatus = (typeof REPORTED_EVENT_STATUSES)[number];
