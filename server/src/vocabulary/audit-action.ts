/**
 * Every kind of write the audit log records, as `entity.verb`. A typed list, so a write cannot
 * invent an action that readers of the log (and filters on it) do not know.
 */
export const AUDIT_ACTIONS = [
  'feature.create',
  'plan.create',
  'plan.unset_default',
  'plan_version.create',
  'plan_version.update',
  'plan_version.publish',
  'add_on.create',
  'account.create',
  'account.update',
  'subscription.change_plan',
  'subscription.set_add_on',
  'subscription.update_status',
  'subscription.extend_trial',
  'subscription.cancel',
  'subscription.schedule_change',
  'subscription.apply_scheduled_change',
  'subscription.end_at_period_end',
  'subscription.sync_from_billing',
  'billing_customer.link',
  'billing.reconcile',
  'subscription.migrate',
  'plan_migration.start',
  'override.grant',
  'override.revoke',
  'usage.set',
  'api_key.create',
  'api_key.revoke',
  'operator.invite',
  'operator.accept_invite',
  'operator.set_role',
  'operator.deactivate',
  'operator.end_session',
  'operator.request_password_reset',
  'operator.reset_password',
  'operator.sso_create',
  'operator.sso_accept_invite',
  'override_request.create',
  'override_request.approve',
  'override_request.reject',
] as const;

/** One kind of audited write. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
