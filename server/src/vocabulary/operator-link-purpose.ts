/** What a one-time operator link is for: accepting an invite (`/console/invite/<token>`) or setting a new password (`/console/reset/<token>`). */
export const OPERATOR_LINK_PURPOSES = ['INVITE', 'PASSWORD_RESET'] as const;

/** What a one-time operator link is for. */
export type OperatorLinkPurpose = (typeof OPERATOR_LINK_PURPOSES)[number];
