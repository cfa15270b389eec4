import { z } from 'zod';
import { rules } from '../validation/index.js';
import { OPERATOR_ROLES } from '../vocabulary/index.js';

/** An operator's email: how they sign in, and what the audit log shows. Lowercased, so case never makes two people. */
export const operatorEmail = z
  .string()
  .trim()
  .max(320, 'must be at most 320 characters')
  .pipe(z.email('must be an email address such as jane@example.com'))
  .transform((email) => email.toLowerCase());

/** inviteOperator. */
export const inviteOperatorSchema = z.object({
  email: operatorEmail,
  name: rules.displayName,
  role: z.enum(OPERATOR_ROLES),
});

/** setOperatorRole. */
export const setOperatorRoleSchema = z.object({
  id: z.uuid('must be an operator id'),
  role: z.enum(OPERATOR_ROLES),
});

/** What inviteOperator takes, before validation: the GraphQL input implements it. */
export type InviteOperatorValues = z.input<typeof inviteOperatorSchema>;

/** `POST /auth/login`'s body. Bounded before anything is hashed or looked up. */
export const signInSchema = z.object({
  email: z.string().min(1, 'is required').max(320, 'must be at most 320 characters'),
  password: z.string().min(1, 'is required').max(1024, 'must be at most 1024 characters'),
});

/** `POST /auth/invite` and `POST /auth/reset`'s body: the link's token and the new password. */
export const linkAcceptanceSchema = z.object({
  token: z.string().min(1, 'is required').max(128, 'is not a link token'),
  password: z.string().max(1024, 'must be at most 1024 characters'),
});
