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
};

/** Every action the console has words for, sorted: suggestions for the audit log's action filter. */
export function knownActions(): string[] {
  return Object.keys(ACTION_WORDS).sort();
}

/** "granted an override", or the action as written. */
export function actionWords(action: string): string {
  return ACTION_WORDS[action] ?? action;
}
