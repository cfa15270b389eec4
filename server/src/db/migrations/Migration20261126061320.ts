import { Migration } from '@mikro-orm/migrations';

/**
 * Plan migrations: a run (plan_migration, at most one open per input) and its selection frozen at
 * start (plan_migration_account, one row per account with its outcome; the partial index finds
 * the accounts still PENDING). Subscriptions get an index by plan version, so a migration finds
 * its cohort without reading every subscription.
 */
export class Migration20261126061320 extends Migration {

  override name = 'Migration20261126061320';

  override up(): void | Promise<void> {
    this.addSql(`create type "plan_migration_status" as enum ('RUNNING', 'COMPLETED', 'FAILED');`);
    this.addSql(`create type "plan_change_timing" as enum ('NOW', 'PERIOD_END');`);
    this.addSql(`create type "plan_migration_outcome" as enum ('PENDING', 'MIGRATED', 'SKIPPED', 'FAILED');`);
    this.addSql(`create type "plan_migration_reason" as enum ('PINNED', 'ALREADY_ON_TARGET', 'CHANGE_SCHEDULED', 'CANCELING', 'PLAN_CHANGED', 'NO_SUBSCRIPTION');`);
    this.addSql(`create table "plan_migration" ("id" uuid not null, "status" "plan_migration_status" not null default 'RUNNING', "input_key" varchar(64) not null, "plan_key" varchar(64) not null, "from_versions" jsonb null, "source_version_ids" jsonb not null, "to_plan_version_id" uuid not null, "account_ids" jsonb null, "effective" "plan_change_timing" not null, "reason" text not null, "actor" varchar(200) not null, "total" int not null, "migrated" int not null default 0, "skipped" int not null default 0, "failed" int not null default 0, "error" text null, "started_at" timestamptz not null, "finished_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create unique index "plan_migration_open_input_key_unique" on "plan_migration" ("input_key") where "status" <> 'COMPLETED';`);

    this.addSql(`create table "plan_migration_account" ("migration_id" uuid not null, "account_id" varchar(128) not null, "from_plan_version_id" uuid not null, "outcome" "plan_migration_outcome" not null default 'PENDING', "reason" "plan_migration_reason" null, "settled_at" timestamptz null, primary key ("migration_id", "account_id"));`);
    this.addSql(`create index "plan_migration_account_pending_index" on "plan_migration_account" ("migration_id", "account_id") where "outcome" = 'PENDING';`);

    this.addSql(`create index "subscription_plan_version_id_index" on "subscription" ("plan_version_id");`);

    this.addSql(`alter table "plan_migration" add constraint "plan_migration_to_plan_version_id_foreign" foreign key ("to_plan_version_id") references "plan_version" ("id");`);

    this.addSql(`alter table "plan_migration_account" add constraint "plan_migration_account_migration_id_foreign" foreign key ("migration_id") references "plan_migration" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "plan_migration_account" drop constraint "plan_migration_account_migration_id_foreign";`);

    this.addSql(`drop table if exists "plan_migration" cascade;`);
    this.addSql(`drop table if exists "plan_migration_account" cascade;`);

    this.addSql(`drop index "subscription_plan_version_id_index";`);

    this.addSql(`drop type "plan_migration_status";`);
    this.addSql(`drop type "plan_change_timing";`);
    this.addSql(`drop type "plan_migration_outcome";`);
    this.addSql(`drop type "plan_migration_reason";`);
  }

}
