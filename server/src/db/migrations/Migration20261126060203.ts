import { Migration } from '@mikro-orm/migrations';

/**
 * Shadow mode: one row per comparison of Tollgate's decision with a host's legacy check, written
 * in batches. Indexed for the report: by time, by feature and time, and the disagreements alone.
 */
export class Migration20261126060203 extends Migration {

  override name = 'Migration20261126060203';

  override up(): void | Promise<void> {
    this.addSql(`create type "shadow_disagreement" as enum ('ACCESS', 'LIMIT');`);
    this.addSql(`create table "shadow_comparison" ("id" uuid not null, "account_id" varchar(128) not null, "feature_key" varchar(64) not null, "requested" bigint null, "legacy_allowed" boolean not null, "legacy_limit" bigint null, "allowed" boolean not null, "reason" varchar(32) not null, "limit" bigint null, "used" bigint not null, "remaining" bigint null, "agreed" boolean not null, "disagreement" "shadow_disagreement" null, "compared_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "shadow_comparison_disagreed_index" on "shadow_comparison" ("feature_key", "compared_at") where not "agreed";`);
    this.addSql(`create index "shadow_comparison_feature_key_compared_at_index" on "shadow_comparison" ("feature_key", "compared_at");`);
    this.addSql(`create index "shadow_comparison_compared_at_index" on "shadow_comparison" ("compared_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "shadow_comparison" cascade;`);

    this.addSql(`drop type "shadow_disagreement";`);
  }

}
