/** Where an override request is: waiting for a second person, approved (the override exists), or rejected. */
export const OVERRIDE_REQUEST_STATUSES = ['PENDING', 'APPROVED', 'REJECTED'] as const;

/** Where an override request is. */
export type OverrideRequestStatus = (typeof OVERRIDE_REQUEST_STATUSES)[number];
