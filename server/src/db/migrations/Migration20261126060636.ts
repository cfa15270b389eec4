import { Migration } from '@mikro-orm/migrations';

/**
 * Subscriptions can be pinned to their plan version (changePlan pinned: true): plan migrations
 * skip them unless they name the account. Existing subscriptions start unpinned.
 */
export class Migration20261126060636 extends Migration {

  override name = 'Migration20261126060636';

  override up(): void | Promise<void> {
    this.addSql(`alter table "subscription" add "pinned" boolean not null default false;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "subscription" drop column "pinned";`);
  }

}
