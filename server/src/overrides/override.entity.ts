import { randomUUID } from 'node:crypto';
import { BigIntType, OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
// The one import of another domain's file: relations between entities are the database's own
// links and span domains, as the foreign keys they map do (an exception the boundary check names).
import { Account } from '../accounts/account.entity.js';
import { OVERRIDE_EFFECTS, type OverrideEffect } from '../vocabulary/index.js';

/**
 * Storage: a per-account exception to the plan. Never deleted: revoking stamps `revokedAt`,
 * and expiry is a comparison with `endsAt` at evaluation time, so no job has to run.
 */
@Entity({ tableName: 'override' })
@Index({ properties: ['account', 'featureKey'] })
export class Override {
  [OptionalProps]?: 'id' | 'value' | 'endsAt' | 'createdAt' | 'revokedAt' | 'revokedBy' | 'revokeReason';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account!: Rel<Account>;

  @Property({ type: 'string', length: 64 })
  featureKey!: string;

  @Enum({ items: [...OVERRIDE_EFFECTS], nativeEnumName: 'override_effect' })
  effect!: OverrideEffect;

  @Property({ type: new BigIntType('number'), nullable: true })
  value: number | null = null;

  @Property({ type: 'datetime' })
  startsAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  endsAt: Date | null = null;

  @Property({ type: 'boolean' })
  permanent!: boolean;

  @Property({ type: 'text' })
  reason!: string;

  @Property({ type: 'string', length: 200 })
  approvedBy!: string;

  /** The name of the API key that created it. */
  @Property({ type: 'string', length: 200 })
  createdBy!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  revokedAt: Date | null = null;

  @Property({ type: 'string', length: 200, nullable: true })
  revokedBy: string | null = null;

  @Property({ type: 'text', nullable: true })
  revokeReason: string | null = null;
}
