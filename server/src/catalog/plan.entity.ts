import { randomUUID } from 'node:crypto';
import { Collection, OptionalProps } from '@mikro-orm/core';
import { Entity, Index, OneToMany, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { PlanVersion } from './plan-version.entity.js';

/** Storage: a plan; what it grants lives in its versions. */
@Entity({ tableName: 'plan' })
// At most one default (free) plan: the database enforces it, not only the service.
@Index({ name: 'plan_single_default', expression: 'create unique index "plan_single_default" on "plan" ("is_default") where "is_default"' })
export class Plan {
  [OptionalProps]?: 'id' | 'description' | 'isDefault' | 'createdAt' | 'versions';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 64, unique: true })
  key!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  /** Upgrade order: a higher rank is an upgrade. */
  @Property({ type: 'integer' })
  rank!: number;

  @Property({ type: 'boolean' })
  isDefault: boolean = false;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @OneToMany(() => PlanVersion, (version) => version.plan, { orderBy: { version: 'asc' } })
  versions = new Collection<PlanVersion>(this);
}
