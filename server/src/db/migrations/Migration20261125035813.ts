import { Migration } from '@mikro-orm/migrations';

export class Migration20261125035813 extends Migration {

  override name = 'Migration20261125035813';

  override up(): void | Promise<void> {
    this.addSql(`create type "usage_event_kind" as enum ('CONSUME', 'RELEASE', 'SET', 'REPORT');`);
    this.addSql(`create table "usage_counter" ("account_id" varchar(128) not null, "feature_key" varchar(64) not null, "period_start" timestamptz not null, "used" int not null default 0, "updated_at" timestamptz not null default now(), primary key ("account_id", "feature_key", "period_start"));`);

    this.addSql(`create table "usage_event" ("id" bigserial primary key, "account_id" varchar(128) not null, "feature_key" varchar(64) not null, "kind" "usage_event_kind" not null, "amount" int not null, "period_start" timestamptz not null, "occurred_at" timestamptz not null, "idempotency_key" varchar(255) null, "fingerprint" varchar(64) null, "result" jsonb null, "actor" varchar(200) not null, "created_at" timestamptz not null default now());`);
    this.addSql(`alter table "usage_event" add constraint "usage_event_account_id_idempotency_key_unique" unique ("account_id", "idempotency_key");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "usage_counter" cascade;`);
    this.addSql(`drop table if exists "usage_event" cascade;`);

    this.addSql(`drop type "usage_event_kind";`);
  }

}
