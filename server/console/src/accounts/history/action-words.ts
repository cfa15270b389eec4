/**
 * Audit actions (`entity.verb`, the server's vocabulary) as a sentence's verb. An action the
 * console does not know yet is shown as the server wrote it.
 */
const ACTION_WORDS: Record<string, string> = {
  'account.create': 'created the account',
  'account.update': 'updated the account',
  'subscription.change_plan': 'changed the plan',
  'subscription.set_add_on': 'changed an add-on',
  'subscription.update_status': 'changed the subscription status',
  'subscription.extend_trial': 'extended the trial',
  'subscription.cancel': 'canceled the subscription',
  'subscription.schedule_change': 'scheduled a plan change',
  'subscription.apply_scheduled_change': 'applied the scheduled plan change',
  'subscription.end_at_period_end': 'ended the subscription at the period end',
  'subscription.sync_from_billing': 'synced the subscription from Stripe',
  'subscription.migrate': 'migrated the plan',
  'billing_customer.link': 'linked a billing customer',
  'billing.reconcile': 'reconciled billing',
  'override.grant': 'granted an override',
  'override.revoke': 'revoked an override',
  'override_request.create': 'requested an override',
  'override_request.approve': 'approved an override request',
  'override_request.reject': 'rejected an override request',
  'usage.set': 'set usage',
  'feature.create': 'created a feature',
  'plan.create': 'created a plan',
  'plan_version.create': 'drafted a plan version',
  'plan_version.update': 'edited a plan version',
  'plan_version.publish': 'published a plan version',
  'add_on.create': 'created an add-on',
  'plan_migration.start': 'started a plan migration',
  'api_key.create': 'created an API key',
  'api_key.revoke': 'revoked an API key',
  'operator.invite': 'invited an operator',
  'operator.accept_invite': 'accepted their invite',
  'operator.set_role': "changed an operator's role",
  'operator.deactivate': 'deactivated an operator',
  'operator.end_session': "ended an operator's session",
  'operator.request_password_reset': 'made a password reset link',
  'operator.reset_password': 'set a new password',
};

/** Every action the console has words for, sorted: suggestions for the audit log's action filter. */
export function knownActions(): string[] {
  return Object.keys(ACTION_WORDS).sort();
}

/** "granted an override", or the action as written. */
export function actionWords(action: string): string {
  return ACTION_WORDS[action] ?? action;
}
