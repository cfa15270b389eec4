import { Migration } from '@mikro-orm/migrations';

/**
 * Meters become 64-bit: counters, ledger amounts, plan limits and override values were `int`,
 * which a month of metered tokens or bytes passes. `bigint` keeps every existing value as it is.
 */
export class Migration20261126031641 extends Migration {

  override name = 'Migration20261126031641';

  override up(): void | Promise<void> {
    this.addSql(`alter table "override" alter column "value" type bigint using ("value"::bigint);`);

    this.addSql(`alter table "plan_entitlement" alter column "limit_value" type bigint using ("limit_value"::bigint);`);

    this.addSql(`alter table "usage_counter" alter column "used" type bigint using ("used"::bigint);`);
    this.addSql(`alter table "usage_counter" alter column "used" set default '0';`);

    this.addSql(`alter table "usage_event" alter column "amount" type bigint using ("amount"::bigint);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "override" alter column "value" type int using ("value"::int);`);

    this.addSql(`alter table "plan_entitlement" alter column "limit_value" type int using ("limit_value"::int);`);

    this.addSql(`alter table "usage_counter" alter column "used" type int using ("used"::int);`);
    this.addSql(`alter table "usage_counter" alter column "used" set default 0;`);

    this.addSql(`alter table "usage_event" alter column "amount" type int using ("amount"::int);`);
  }

}
