import { Migration } from '@mikro-orm/migrations';

/**
 * The demo seed's marker moves out of signing_secret (a table for secrets) into a table of its own.
 */
export class Migration20261126034319 extends Migration {

  override name = 'Migration20261126034319';

  override up(): void | Promise<void> {
    this.addSql(`create table "demo_seed" ("id" smallint primary key, "seeded_at" timestamptz not null);`);
    this.addSql(`insert into "demo_seed" ("id", "seeded_at") select 1, now() from "signing_secret" where "name" = 'demo-seeded';`);
    this.addSql(`delete from "signing_secret" where "name" = 'demo-seeded';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`insert into "signing_secret" ("name", "secret") select 'demo-seeded', 'yes' from "demo_seed";`);
    this.addSql(`drop table if exists "demo_seed" cascade;`);
  }

}
