import { Migration } from '@mikro-orm/migrations';

/** The daily usage history (the console's usage chart) reads one account's feature over a time range: index it. */
export class Migration20261207021537 extends Migration {

  override name = 'Migration20261207021537';

  override up(): void | Promise<void> {
    this.addSql(`create index "usage_event_account_id_feature_key_occurred_at_index" on "usage_event" ("account_id", "feature_key", "occurred_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "usage_event_account_id_feature_key_occurred_at_index";`);
  }

}
