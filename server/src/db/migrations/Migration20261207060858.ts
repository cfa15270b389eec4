import { Migration } from '@mikro-orm/migrations';

/**
 * The orders of accounts(sort: NAME | CREATED): an index on each order's key and the id, so a page
 * of the console's sorted account list is read off an index from its cursor, either way.
 */
export class Migration20261207060858 extends Migration {

  override name = 'Migration20261207060858';

  override up(): void | Promise<void> {
    this.addSql(`create index "account_created_order" on "account" ("created_at", "id");`);
    this.addSql(`create index "account_name_order" on "account" (lower("name"), "id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "account_created_order";`);
    this.addSql(`drop index "account_name_order";`);
  }

}
