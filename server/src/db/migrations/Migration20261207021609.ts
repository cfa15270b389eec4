import { Migration } from '@mikro-orm/migrations';

/**
 * Billing that Stripe's real event patterns cannot fool (issue 19): events held as sync issues
 * (HELD, and the issue kinds ORDER_AMBIGUOUS, ACCOUNT_AMBIGUOUS, STRIPE_API_REFUSED,
 * UNKNOWN_STATUS); the read sequence that orders snapshots read from Stripe's API; the invoice a
 * past-due grace runs from; Stripe's paused status, cancel_at and pause_collection; per-seat plan
 * versions (a QUANTITY feature limited by the plan item's quantity); migrations' BILLING_MANAGED
 * and BILLING_FAILED reasons.
 */
export class Migration20261207021609 extends Migration {

  override name = 'Migration20261207021609';

  override up(): void | Promise<void> {
    this.addSql(`alter type "billing_event_outcome" add value if not exists 'HELD' after 'UNMAPPED';`);

    this.addSql(`alter table "billing_subscription" add "snapshot_seq" bigint null, add "unpaid_invoice_id" varchar(255) null, add "unpaid_since" timestamptz null;`);
    // Taken just before each read of Stripe's API: a read that began later wins (nextval is not transactional).
    this.addSql(`create sequence if not exists "billing_read_seq";`);

    this.addSql(`alter type "billing_sync_issue_kind" add value if not exists 'ORDER_AMBIGUOUS' after 'UNKNOWN_PRICE';`);
    this.addSql(`alter type "billing_sync_issue_kind" add value if not exists 'ACCOUNT_AMBIGUOUS' after 'ORDER_AMBIGUOUS';`);
    this.addSql(`alter type "billing_sync_issue_kind" add value if not exists 'STRIPE_API_REFUSED' after 'ACCOUNT_AMBIGUOUS';`);
    this.addSql(`alter type "billing_sync_issue_kind" add value if not exists 'UNKNOWN_STATUS' after 'STRIPE_API_REFUSED';`);

    this.addSql(`alter table "plan_version" add "quantity_feature_key" varchar(64) null;`);

    this.addSql(`alter type "plan_migration_reason" add value if not exists 'BILLING_MANAGED' after 'NO_SUBSCRIPTION';`);
    this.addSql(`alter type "plan_migration_reason" add value if not exists 'BILLING_FAILED' after 'BILLING_MANAGED';`);
    this.addSql(`alter table "plan_migration" add "proration_behavior" varchar(32) null;`);

    this.addSql(`alter type "subscription_status" add value if not exists 'PAUSED' after 'EXPIRED';`);
    this.addSql(`alter table "subscription" add "cancel_at" timestamptz null, add "collection_pause" jsonb null, add "plan_quantity" bigint null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop sequence if exists "billing_read_seq";`);
    this.addSql(`alter table "billing_subscription" drop column "snapshot_seq", drop column "unpaid_invoice_id", drop column "unpaid_since";`);

    this.addSql(`alter table "plan_version" drop column "quantity_feature_key";`);
    this.addSql(`alter table "plan_migration" drop column "proration_behavior";`);

    this.addSql(`alter table "subscription" drop column "cancel_at", drop column "collection_pause", drop column "plan_quantity";`);
  }

}
