import { Migration } from '@mikro-orm/migrations';

/**
 * Subscriptions remember when a trial converted and which plans the account has trialed (a trial
 * is given once per plan). Subscriptions in a trial now have their plan recorded as trialed.
 */
export class Migration20261126052208 extends Migration {

  override name = 'Migration20261126052208';

  override up(): void | Promise<void> {
    this.addSql(`alter table "subscription" add "converted_at" timestamptz null, add "trialed_plan_keys" jsonb not null default '[]';`);
    this.addSql(`update "subscription" as s set "trialed_plan_keys" = jsonb_build_array(p."key") from "plan_version" as v join "plan" as p on p."id" = v."plan_id" where s."plan_version_id" = v."id" and (s."status" = 'TRIALING' or s."trial_ends_at" is not null);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "subscription" drop column "converted_at", drop column "trialed_plan_keys";`);
  }

}
