import { Migration } from '@mikro-orm/migrations';

/** Plan versions gain trialGraceDays: days after a trial ends during which its plan still applies. */
export class Migration20261126050359 extends Migration {

  override name = 'Migration20261126050359';

  override up(): void | Promise<void> {
    this.addSql(`alter table "plan_version" add "trial_grace_days" int not null default 0;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "plan_version" drop column "trial_grace_days";`);
  }

}
