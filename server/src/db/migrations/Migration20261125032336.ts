import { Migration } from '@mikro-orm/migrations';

export class Migration20261125032336 extends Migration {

  override name = 'Migration20261125032336';

  override up(): void | Promise<void> {
    this.addSql(`create type "billing_interval" as enum ('MONTH', 'YEAR');`);
    this.addSql(`create type "api_key_role" as enum ('ADMIN', 'SERVER');`);
    this.addSql(`create type "feature_kind" as enum ('SWITCH', 'QUANTITY', 'METERED');`);
    this.addSql(`create type "override_effect" as enum ('GRANT', 'REVOKE', 'SET_LIMIT', 'ADD_LIMIT');`);
    this.addSql(`create type "plan_version_status" as enum ('DRAFT', 'PUBLISHED', 'RETIRED');`);
    this.addSql(`create type "usage_period" as enum ('HOUR', 'DAY', 'WEEK', 'MONTH', 'YEAR', 'BILLING_PERIOD', 'NEVER');`);
    this.addSql(`create type "overage" as enum ('BLOCK', 'ALLOW');`);
    this.addSql(`create type "subscription_status" as enum ('TRIALING', 'ACTIVE', 'PAST_DUE', 'CANCELED', 'EXPIRED');`);
    this.addSql(`create table "account" ("id" varchar(128) not null, "name" varchar(200) not null, "metadata" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`create table "add_on" ("id" uuid not null, "key" varchar(64) not null, "name" varchar(200) not null, "description" text null, "price_amount" int not null, "price_currency" varchar(3) not null, "interval" "billing_interval" not null default 'MONTH', "grants" jsonb not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "add_on" add constraint "add_on_key_unique" unique ("key");`);

    this.addSql(`create table "api_key" ("id" uuid not null, "name" varchar(200) not null, "role" "api_key_role" not null, "prefix" varchar(32) not null, "secret_hash" varchar(64) not null, "created_by" varchar(200) not null, "created_at" timestamptz not null, "revoked_at" timestamptz null, "revoked_by" varchar(200) null, primary key ("id"));`);
    this.addSql(`alter table "api_key" add constraint "api_key_secret_hash_unique" unique ("secret_hash");`);

    this.addSql(`create table "audit_entry" ("id" bigserial primary key, "at" timestamptz not null, "actor" varchar(200) not null, "action" varchar(64) not null, "account_id" varchar(128) null, "entity_type" varchar(64) not null, "entity_id" varchar(200) null, "before" jsonb null, "after" jsonb null, "reason" text null);`);
    this.addSql(`create index "audit_entry_account_id_id_index" on "audit_entry" ("account_id", "id");`);

    this.addSql(`create table "feature" ("id" uuid not null, "key" varchar(64) not null, "name" varchar(200) not null, "description" text null, "kind" "feature_kind" not null, "unit" varchar(64) null, "requires" jsonb not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "feature" add constraint "feature_key_unique" unique ("key");`);

    this.addSql(`create table "override" ("id" uuid not null, "account_id" varchar(128) not null, "feature_key" varchar(64) not null, "effect" "override_effect" not null, "value" int null, "starts_at" timestamptz not null, "ends_at" timestamptz null, "permanent" boolean not null, "reason" text not null, "approved_by" varchar(200) not null, "created_by" varchar(200) not null, "created_at" timestamptz not null, "revoked_at" timestamptz null, "revoked_by" varchar(200) null, "revoke_reason" text null, primary key ("id"));`);
    this.addSql(`create index "override_account_id_feature_key_index" on "override" ("account_id", "feature_key");`);

    this.addSql(`create table "plan" ("id" uuid not null, "key" varchar(64) not null, "name" varchar(200) not null, "description" text null, "rank" int not null, "is_default" boolean not null default false, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "plan" add constraint "plan_key_unique" unique ("key");`);
    // At most one default (free) plan: the database enforces it, not only the service.
    this.addSql(`create unique index "plan_single_default" on "plan" ("is_default") where "is_default";`);

    this.addSql(`create table "plan_version" ("id" uuid not null, "plan_id" uuid not null, "version" int not null, "status" "plan_version_status" not null default 'DRAFT', "price_amount" int not null, "price_currency" varchar(3) not null, "interval" "billing_interval" not null, "trial_days" int not null default 0, "created_at" timestamptz not null, "published_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "plan_version" add constraint "plan_version_plan_id_version_unique" unique ("plan_id", "version");`);

    this.addSql(`create table "plan_entitlement" ("id" uuid not null, "plan_version_id" uuid not null, "feature_key" varchar(64) not null, "enabled" boolean not null, "limit_value" int null, "period" "usage_period" not null default 'NEVER', "soft_limit_percent" int not null default 80, "overage" "overage" not null default 'BLOCK', primary key ("id"));`);
    this.addSql(`alter table "plan_entitlement" add constraint "plan_entitlement_plan_version_id_feature_key_unique" unique ("plan_version_id", "feature_key");`);

    this.addSql(`create table "signing_secret" ("name" varchar(32) not null, "secret" varchar(128) not null, primary key ("name"));`);

    this.addSql(`create table "subscription" ("id" uuid not null, "account_id" varchar(128) not null, "plan_version_id" uuid not null, "status" "subscription_status" not null, "trial_ends_at" timestamptz null, "grace_ends_at" timestamptz null, "current_period_start" timestamptz not null, "current_period_end" timestamptz not null, "add_ons" jsonb not null, "billing_provider_ids" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "subscription" add constraint "subscription_account_id_unique" unique ("account_id");`);

    this.addSql(`alter table "override" add constraint "override_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`);

    this.addSql(`alter table "plan_version" add constraint "plan_version_plan_id_foreign" foreign key ("plan_id") references "plan" ("id");`);

    this.addSql(`alter table "plan_entitlement" add constraint "plan_entitlement_plan_version_id_foreign" foreign key ("plan_version_id") references "plan_version" ("id") on delete cascade;`);

    this.addSql(`alter table "subscription" add constraint "subscription_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`);
    this.addSql(`alter table "subscription" add constraint "subscription_plan_version_id_foreign" foreign key ("plan_version_id") references "plan_version" ("id");`);
  }

}
