import { z } from 'zod';
import { rules } from '../validation/index.js';
import { OVERRIDE_EFFECTS } from '../vocabulary/index.js';

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
    approvedBy: rules.displayName,
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
