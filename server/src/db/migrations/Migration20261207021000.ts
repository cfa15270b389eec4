import { Migration } from '@mikro-orm/migrations';

/**
 * A ledger with a horizon, and the running sum set-based counting needs.
 *
 * `usage_event` becomes a table partitioned by `ledger_month` (the UTC month a row was
 * recorded in), one partition per month, so old months are dropped whole after
 * TOLLGATE_USAGE_RETENTION_DAYS (ledger-horizon.ts) instead of the table and its unique index
 * growing forever. PostgreSQL requires a partitioned table's unique keys to contain the
 * partition key, so the idempotency key is unique per (account, key, month); the metering service
 * looks keys up across the months of its key window and serialises the hours around a month
 * boundary itself (see usage-ledger.ts). Every existing row is kept, in the partition of its
 * `created_at`.
 *
 * `usage_key_guard` holds the keys recorded within an hour of a month boundary (for a day), so two
 * requests with one key on both sides of the boundary collide on its primary key.
 *
 * `usage_fit` is the running sum against the remaining quantity: used as a window function over
 * one counter's events in order, it accepts each event that still fits under its cap and skips the
 * rest, exactly as one-at-a-time counting would (a later, smaller event may still fit).
 */
export class Migration20261207021000 extends Migration {

  override name = 'Migration20261207021000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "usage_event" rename to "usage_event_unpartitioned";`);
    this.addSql(`alter table "usage_event_unpartitioned" rename constraint "usage_event_pkey" to "usage_event_unpartitioned_pkey";`);
    this.addSql(`alter table "usage_event_unpartitioned" rename constraint "usage_event_account_id_idempotency_key_unique" to "usage_event_unpartitioned_key_unique";`);
    this.addSql(`alter sequence "usage_event_id_seq" owned by none;`);
    this.addSql(`create table "usage_event" (
      "id" bigint not null default nextval('usage_event_id_seq'),
      "account_id" varchar(128) not null, "feature_key" varchar(64) not null, "kind" "usage_event_kind" not null,
      "amount" bigint not null, "period_start" timestamptz not null, "occurred_at" timestamptz not null,
      "idempotency_key" varchar(255) null, "fingerprint" varchar(64) null, "result" jsonb null, "actor" varchar(200) not null,
      "created_at" timestamptz not null default now(),
      "ledger_month" date not null default (date_trunc('month', now() at time zone 'UTC'))::date,
      constraint "usage_event_pkey" primary key ("id", "ledger_month"),
      constraint "usage_event_account_id_idempotency_key_unique" unique ("account_id", "idempotency_key", "ledger_month")
    ) partition by range ("ledger_month");`);
    this.addSql(`alter sequence "usage_event_id_seq" owned by "usage_event"."id";`);
    // One partition per month from the oldest existing row to two months ahead (ledger-horizon.ts
    // keeps creating them ahead from then on).
    this.addSql(`do $$
      declare
        month date := least(
          coalesce((select (date_trunc('month', min(created_at) at time zone 'UTC'))::date from usage_event_unpartitioned), 'infinity'::date),
          (date_trunc('month', now() at time zone 'UTC'))::date);
        last date := (date_trunc('month', now() at time zone 'UTC') + interval '2 months')::date;
      begin
        while month <= last loop
          execute format('create table if not exists %I partition of usage_event for values from (%L) to (%L)',
            'usage_event_' || to_char(month, 'YYYY_MM'), month, (month + interval '1 month')::date);
          month := (month + interval '1 month')::date;
        end loop;
      end $$;`);
    this.addSql(`insert into "usage_event" ("id", "account_id", "feature_key", "kind", "amount", "period_start", "occurred_at", "idempotency_key", "fingerprint", "result", "actor", "created_at", "ledger_month")
      select "id", "account_id", "feature_key", "kind", "amount", "period_start", "occurred_at", "idempotency_key", "fingerprint", "result", "actor", "created_at",
        (date_trunc('month', "created_at" at time zone 'UTC'))::date
      from "usage_event_unpartitioned";`);
    this.addSql(`drop table "usage_event_unpartitioned";`);

    this.addSql(`create table "usage_key_guard" ("account_id" varchar(128) not null, "idempotency_key" varchar(255) not null, "created_at" timestamptz not null default now(), constraint "usage_key_guard_pkey" primary key ("account_id", "idempotency_key"));`);
    this.addSql(`create function usage_fit_step(state bigint[], start_used bigint, amount bigint, cap bigint, permitted boolean) returns bigint[]
      language plpgsql immutable parallel safe as $$
      declare
        used bigint := coalesce(state[1], start_used);
      begin
        if permitted and used + amount <= cap then
          return array[used + amount, 1];
        end if;
        return array[used, 0];
      end $$;`);
    this.addSql(`comment on function usage_fit_step(bigint[], bigint, bigint, bigint, boolean) is 'Step of usage_fit: {used after this event, 1 if it was accepted else 0}.';`);
    this.addSql(`create aggregate usage_fit(bigint, bigint, bigint, boolean) (sfunc = usage_fit_step, stype = bigint[]);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop aggregate if exists usage_fit(bigint, bigint, bigint, boolean);`);
    this.addSql(`drop table if exists "usage_key_guard";`);
    this.addSql(`drop function if exists usage_fit_step(bigint[], bigint, bigint, bigint, boolean);`);
    this.addSql(`alter table "usage_event" rename to "usage_event_partitioned";`);
    this.addSql(`alter table "usage_event_partitioned" rename constraint "usage_event_pkey" to "usage_event_partitioned_pkey";`);
    this.addSql(`alter table "usage_event_partitioned" rename constraint "usage_event_account_id_idempotency_key_unique" to "usage_event_partitioned_key_unique";`);
    this.addSql(`alter sequence "usage_event_id_seq" owned by none;`);
    this.addSql(`create table "usage_event" (
      "id" bigint not null default nextval('usage_event_id_seq') primary key,
      "account_id" varchar(128) not null, "feature_key" varchar(64) not null, "kind" "usage_event_kind" not null,
      "amount" bigint not null, "period_start" timestamptz not null, "occurred_at" timestamptz not null,
      "idempotency_key" varchar(255) null, "fingerprint" varchar(64) null, "result" jsonb null, "actor" varchar(200) not null,
      "created_at" timestamptz not null default now());`);
    this.addSql(`alter sequence "usage_event_id_seq" owned by "usage_event"."id";`);
    // Oldest first: a key kept in two months (recorded again after its window) keeps its first row.
    this.addSql(`insert into "usage_event" ("id", "account_id", "feature_key", "kind", "amount", "period_start", "occurred_at", "idempotency_key", "fingerprint", "result", "actor", "created_at")
      select distinct on ("account_id", coalesce("idempotency_key", "id"::text)) "id", "account_id", "feature_key", "kind", "amount", "period_start", "occurred_at", "idempotency_key", "fingerprint", "result", "actor", "created_at"
      from "usage_event_partitioned" order by "account_id", coalesce("idempotency_key", "id"::text), "created_at", "id";`);
    this.addSql(`alter table "usage_event" add constraint "usage_event_account_id_idempotency_key_unique" unique ("account_id", "idempotency_key");`);
    this.addSql(`drop table "usage_event_partitioned" cascade;`);
  }

}
