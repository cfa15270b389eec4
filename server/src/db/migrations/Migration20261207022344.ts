import { Migration } from '@mikro-orm/migrations';

/**
 * Operators (people with roles), their sessions, one-time links and sign-in counters; override
 * requests (four eyes); the audit log's actor kind and id, with indexes for its filters; and
 * finding accounts: a generated search column with a trigram index (pg_trgm, which PostgreSQL
 * ships as a trusted extension from 13 on and PGlite loads from its contrib set) and prefix
 * indexes for short searches. Existing audit entries get their actor kind from their actor.
 */
export class Migration20261207022344 extends Migration {

  override name = 'Migration20261207022344';

  override up(): void | Promise<void> {
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`create type "actor_kind" as enum ('OPERATOR', 'API_KEY', 'STRIPE', 'LIFECYCLE', 'RECONCILIATION', 'MIGRATION');`);
    this.addSql(`create type "operator_role" as enum ('VIEWER', 'SUPPORT', 'BILLING', 'PRICING', 'OWNER');`);
    this.addSql(`create type "operator_link_purpose" as enum ('INVITE', 'PASSWORD_RESET');`);
    this.addSql(`create type "override_request_status" as enum ('PENDING', 'APPROVED', 'REJECTED');`);
    this.addSql(`create table "operator" ("id" uuid not null, "email" varchar(320) not null, "name" varchar(200) not null, "role" "operator_role" not null, "active" boolean not null default true, "password_hash" varchar(255) null, "created_by" varchar(320) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deactivated_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "operator" add constraint "operator_email_unique" unique ("email");`);

    this.addSql(`create table "operator_link" ("token_hash" varchar(64) not null, "operator_id" uuid not null, "purpose" "operator_link_purpose" not null, "created_by" varchar(320) not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "used_at" timestamptz null, primary key ("token_hash"));`);
    this.addSql(`create index "operator_link_operator_id_purpose_index" on "operator_link" ("operator_id", "purpose");`);

    this.addSql(`create table "operator_session" ("id_hash" varchar(64) not null, "operator_id" uuid not null, "created_at" timestamptz not null, "last_seen_at" timestamptz not null, "expires_at" timestamptz not null, "address" varchar(64) null, "user_agent" varchar(512) null, primary key ("id_hash"));`);
    this.addSql(`create index "operator_session_expires_at_index" on "operator_session" ("expires_at");`);
    this.addSql(`create index "operator_session_operator_id_index" on "operator_session" ("operator_id");`);

    this.addSql(`create table "override_request" ("id" uuid not null, "account_id" varchar(128) not null, "feature_key" varchar(64) not null, "effect" "override_effect" not null, "value" bigint null, "starts_at" timestamptz null, "ends_at" timestamptz null, "permanent" boolean not null, "reason" text not null, "status" "override_request_status" not null, "requested_by" varchar(320) not null, "requested_by_id" varchar(100) not null, "requested_at" timestamptz not null, "decided_by" varchar(320) null, "decided_by_id" varchar(100) null, "decided_at" timestamptz null, "decision_note" text null, "override_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "override_request_account_id_index" on "override_request" ("account_id");`);
    this.addSql(`create index "override_request_requested_at_id_index" on "override_request" ("requested_at", "id");`);
    this.addSql(`create index "override_request_status_requested_at_id_index" on "override_request" ("status", "requested_at", "id");`);

    this.addSql(`create table "sign_in_throttle" ("key" varchar(400) not null, "failures" int not null, "window_started_at" timestamptz not null, "locked_until" timestamptz null, "updated_at" timestamptz not null, primary key ("key"));`);
    this.addSql(`create index "sign_in_throttle_updated_at_index" on "sign_in_throttle" ("updated_at");`);

    this.addSql(`alter table "audit_entry" add "actor_kind" "actor_kind" null, add "actor_id" varchar(64) null;`);
    this.addSql(`update "audit_entry" set "actor_kind" = case
      when "action" = 'subscription.migrate' then 'MIGRATION'
      when "actor" = 'stripe' then 'STRIPE'
      when "actor" = 'lifecycle' then 'LIFECYCLE'
      when "actor" = 'reconciliation' then 'RECONCILIATION'
      else 'API_KEY' end::"actor_kind",
      "actor_id" = case when "action" = 'subscription.migrate' then "after"->>'migrationId' end;`);
    this.addSql(`alter table "audit_entry" alter column "actor_kind" set not null;`);
    this.addSql(`alter table "audit_entry" alter column "actor" type varchar(320) using ("actor"::varchar(320));`);
    this.addSql(`create index "audit_entry_at_id_index" on "audit_entry" ("at", "id");`);
    this.addSql(`create index "audit_entry_action_id_index" on "audit_entry" ("action", "id");`);
    this.addSql(`create index "audit_entry_actor_id_index" on "audit_entry" ("actor", "id");`);

    this.addSql(`alter table "account" add "search_text" text generated always as (lower("id" || ' ' || "name" || ' ' || coalesce(jsonb_path_query_array("metadata", 'strict \$.** ? (@.type() != "object" && @.type() != "array")')::text, ''))) stored null;`);
    this.addSql(`create index "account_name_lower_prefix" on "account" (lower("name") text_pattern_ops);`);
    this.addSql(`create index "account_id_lower_prefix" on "account" (lower("id") text_pattern_ops);`);
    this.addSql(`create index "account_search_text_trgm" on "account" using gin ("search_text" gin_trgm_ops) with (fastupdate = off);`);

    this.addSql(`alter table "operator_link" add constraint "operator_link_operator_id_foreign" foreign key ("operator_id") references "operator" ("id") on delete cascade;`);

    this.addSql(`alter table "operator_session" add constraint "operator_session_operator_id_foreign" foreign key ("operator_id") references "operator" ("id") on delete cascade;`);

    this.addSql(`alter table "override_request" add constraint "override_request_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`);
    this.addSql(`alter table "override_request" add constraint "override_request_override_id_foreign" foreign key ("override_id") references "override" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "operator_link" drop constraint "operator_link_operator_id_foreign";`);
    this.addSql(`alter table "operator_session" drop constraint "operator_session_operator_id_foreign";`);

    this.addSql(`drop table if exists "operator" cascade;`);
    this.addSql(`drop table if exists "operator_link" cascade;`);
    this.addSql(`drop table if exists "operator_session" cascade;`);
    this.addSql(`drop table if exists "override_request" cascade;`);
    this.addSql(`drop table if exists "sign_in_throttle" cascade;`);

    this.addSql(`drop index "audit_entry_at_id_index";`);
    this.addSql(`drop index "audit_entry_action_id_index";`);
    this.addSql(`drop index "audit_entry_actor_id_index";`);
    this.addSql(`alter table "audit_entry" drop column "actor_kind", drop column "actor_id";`);
    this.addSql(`alter table "audit_entry" alter column "actor" type varchar(200) using ("actor"::varchar(200));`);

    this.addSql(`drop index "account_name_lower_prefix";`);
    this.addSql(`drop index "account_id_lower_prefix";`);
    this.addSql(`drop index "account_search_text_trgm";`);
    this.addSql(`alter table "account" drop column "search_text";`);

    this.addSql(`drop type "actor_kind";`);
    this.addSql(`drop type "operator_role";`);
    this.addSql(`drop type "operator_link_purpose";`);
    this.addSql(`drop type "override_request_status";`);
  }

}
