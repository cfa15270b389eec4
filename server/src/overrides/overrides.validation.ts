import { z } from 'zod';
import { rules } from '../validation/index.js';
import { OVERRIDE_EFFECTS, OVERRIDE_REQUEST_STATUSES } from '../vocabulary/index.js';

/** grantOverride, with the rules that tie effect, value and dates together. */
export const grantOverrideSchema = z
  .object({
    accountId: rules.accountId,
    feature: rules.catalogKey,
    effect: z.enum(OVERRIDE_EFFECTS),
    value: rules.quantity.nullish(),
    startsAt: rules.instant.nullish(),
    endsAt: rules.instant.nullish(),
    permanent: z.boolean().nullish(),
    reason: rules.reason,
    // Required from API keys; an operator's own grant is approved by the operator (see OverridesService).
    approvedBy: rules.displayName.nullish(),
  })
  .superRefine((input, context) => {
    const needsValue = input.effect === 'SET_LIMIT' || input.effect === 'ADD_LIMIT';
    if (needsValue && (input.value === null || input.value === undefined)) {
      context.addIssue({ code: 'custom', path: ['value'], message: `is required for ${input.effect}` });
    }
    if (input.effect === 'ADD_LIMIT' && input.value === 0) {
      context.addIssue({ code: 'custom', path: ['value'], message: 'must be at least 1 for ADD_LIMIT' });
    }
    if (input.effect === 'REVOKE' && input.value !== null && input.value !== undefined) {
      context.addIssue({ code: 'custom', path: ['value'], message: 'must be empty for REVOKE' });
    }
    if (input.permanent && input.endsAt) {
      context.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be empty when permanent is true' });
    }
    if (!input.permanent && !input.endsAt) {
      context.addIssue({ code: 'custom', path: ['endsAt'], message: 'is required unless permanent is true' });
    }
  });

/** revokeOverride. */
export const revokeOverrideSchema = z.object({
  id: z.uuid('must be an override id'),
  reason: rules.reason,
});

/** What grantOverride takes, before validation: the GraphQL input implements it. */
export type GrantOverrideValues = z.input<typeof grantOverrideSchema>;
/** What revokeOverride takes, before validation. */
export type RevokeOverrideValues = z.input<typeof revokeOverrideSchema>;

/** overrideRequests' filter and page. */
export const overrideRequestsSchema = z.object({
  status: z.enum(OVERRIDE_REQUEST_STATUSES).nullish(),
  accountId: rules.accountId.nullish(),
  first: z.number().int().min(1, 'must be from 1 to 100').max(100, 'must be from 1 to 100').nullish(),
});

/** approveOverrideRequest and rejectOverrideRequest. */
export const decideOverrideRequestSchema = z.object({
  id: z.uuid('must be an override request id'),
  note: z.string().trim().max(1000, 'must be at most 1000 characters').nullish(),
});

/** rejectOverrideRequest: a reason is required. */
export const rejectOverrideRequestSchema = z.object({
  id: z.uuid('must be an override request id'),
  reason: rules.reason,
});
