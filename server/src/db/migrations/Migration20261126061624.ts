import { Migration } from '@mikro-orm/migrations';

/**
 * Billing sync with Stripe: received events (each id once), sync issues with their payloads,
 * customer links, per-subscription ordering keys, the price registry that maps a Stripe price to
 * one plan version or add-on, and plan versions' pastDueGraceDays.
 */
export class Migration20261126061624 extends Migration {

  override name = 'Migration20261126061624';

  override up(): void | Promise<void> {
    this.addSql(`create type "billing_event_outcome" as enum ('APPLIED', 'IGNORED', 'STALE', 'DUPLICATE', 'UNMAPPED');`);
    this.addSql(`create type "billing_sync_issue_kind" as enum ('UNKNOWN_CUSTOMER', 'UNKNOWN_PRICE');`);
    this.addSql(`create table "billing_customer" ("customer_id" varchar(255) not null, "account_id" varchar(128) not null, "linked_by" varchar(200) not null, "linked_at" timestamptz not null, primary key ("customer_id"));`);
    this.addSql(`create index "billing_customer_account_id_index" on "billing_customer" ("account_id");`);

    this.addSql(`create table "billing_event" ("id" varchar(255) not null, "type" varchar(128) not null, "created" timestamptz not null, "outcome" "billing_event_outcome" not null, "subscription_id" varchar(255) null, "customer_id" varchar(255) null, "account_id" varchar(128) null, "detail" text null, "received_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "billing_event_subscription_id_created_index" on "billing_event" ("subscription_id", "created");`);

    this.addSql(`create table "billing_subscription" ("subscription_id" varchar(255) not null, "account_id" varchar(128) not null, "customer_id" varchar(255) null, "snapshot" jsonb null, "snapshot_at" timestamptz null, "snapshot_event_id" varchar(255) null, "payment" jsonb null, "payment_at" timestamptz null, "payment_event_id" varchar(255) null, "updated_at" timestamptz not null, primary key ("subscription_id"));`);
    this.addSql(`create index "billing_subscription_account_id_index" on "billing_subscription" ("account_id");`);

    this.addSql(`create table "billing_sync_issue" ("id" bigserial primary key, "kind" "billing_sync_issue_kind" not null, "event_id" varchar(255) not null, "event_type" varchar(128) not null, "customer_id" varchar(255) null, "subscription_id" varchar(255) null, "price_ids" jsonb not null, "message" text not null, "payload" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "resolved_at" timestamptz null, "resolution" text null);`);
    this.addSql(`alter table "billing_sync_issue" add constraint "billing_sync_issue_event_id_unique" unique ("event_id");`);
    this.addSql(`create index "billing_sync_issue_resolved_at_kind_index" on "billing_sync_issue" ("resolved_at", "kind");`);

    this.addSql(`create table "billing_price" ("price_id" varchar(255) not null, "plan_version_id" uuid null, "add_on_id" uuid null, "created_at" timestamptz not null, primary key ("price_id"));`);

    this.addSql(`alter table "add_on" add "billing_price_id" varchar(255) null;`);

    this.addSql(`alter table "plan_version" add "past_due_grace_days" int null, add "billing_price_ids" jsonb not null default '[]';`);

    this.addSql(`alter table "billing_customer" add constraint "billing_customer_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`);

    this.addSql(`alter table "billing_subscription" add constraint "billing_subscription_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`);

    this.addSql(`alter table "billing_price" add constraint "billing_price_plan_version_id_foreign" foreign key ("plan_version_id") references "plan_version" ("id") on delete cascade;`);
    this.addSql(`alter table "billing_price" add constraint "billing_price_add_on_id_foreign" foreign key ("add_on_id") references "add_on" ("id") on delete cascade;`);
    this.addSql(`alter table "billing_price" add constraint "billing_price_one_owner" check ((plan_version_id is null) <> (add_on_id is null));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "billing_customer" cascade;`);
    this.addSql(`drop table if exists "billing_event" cascade;`);
    this.addSql(`drop table if exists "billing_subscription" cascade;`);
    this.addSql(`drop table if exists "billing_sync_issue" cascade;`);
    this.addSql(`drop table if exists "billing_price" cascade;`);

    this.addSql(`alter table "add_on" drop column "billing_price_id";`);

    this.addSql(`alter table "plan_version" drop column "past_due_grace_days", drop column "billing_price_ids";`);

    this.addSql(`drop type "billing_event_outcome";`);
    this.addSql(`drop type "billing_sync_issue_kind";`);
  }

}
