import { Migration } from '@mikro-orm/migrations';

/**
 * Subscriptions can be canceled at period end (phase CANCELING) and carry a plan change scheduled
 * for the end of the period (changePlan at: PERIOD_END).
 */
export class Migration20261126055934 extends Migration {

  override name = 'Migration20261126055934';

  override up(): void | Promise<void> {
    this.addSql(`alter table "subscription" add "cancel_at_period_end" boolean not null default false, add "canceled_at" timestamptz null, add "scheduled_plan_version_id" uuid null, add "scheduled_change_at" timestamptz null;`);
    this.addSql(`alter table "subscription" add constraint "subscription_scheduled_plan_version_id_foreign" foreign key ("scheduled_plan_version_id") references "plan_version" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "subscription" drop constraint "subscription_scheduled_plan_version_id_foreign";`);

    this.addSql(`alter table "subscription" drop column "cancel_at_period_end", drop column "canceled_at", drop column "scheduled_plan_version_id", drop column "scheduled_change_at";`);
  }

}
