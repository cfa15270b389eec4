import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * Storage: the record that the demo data was seeded into this database, at most one row. Several
 * processes may start on one new database at once: only the one whose insert creates the row
 * seeds. (It used to be a marker row inside signing_secret, which is for secrets only.)
 */
@Entity({ tableName: 'demo_seed' })
export class DemoSeed {
  /** Always 1: the table holds one row or none. */
  @PrimaryKey({ type: 'smallint', autoincrement: false })
  id!: number;

  @Property({ type: 'datetime' })
  seededAt!: Date;
}
