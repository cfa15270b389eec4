import { randomUUID } from 'node:crypto';
import { BigIntType, OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { OVERAGES, USAGE_PERIODS, type Overage, type UsagePeriod } from '../vocabulary/index.js';
import { PlanVersion } from './plan-version.entity.js';

/** Storage: what one plan version gives for one feature. */
@Entity({ tableName: 'plan_entitlement' })
@Unique({ properties: ['planVersion', 'featureKey'] })
export class PlanEntitlement {
  [OptionalProps]?: 'id' | 'limit' | 'softLimitPercent' | 'overage' | 'period';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => PlanVersion, { deleteRule: 'cascade' })
  planVersion!: Rel<PlanVersion>;

  /** Checked against the catalog when the version is published, not before. */
  @Property({ type: 'string', length: 64 })
  featureKey!: string;

  @Property({ type: 'boolean' })
  enabled!: boolean;

  /** null = unlimited. */
  @Property({ type: new BigIntType('number'), nullable: true, fieldName: 'limit_value' })
  limit: number | null = null;

  @Enum({ items: [...USAGE_PERIODS], nativeEnumName: 'usage_period' })
  period: UsagePeriod = 'NEVER';

  @Property({ type: 'integer' })
  softLimitPercent: number = 80;

  @Enum({ items: [...OVERAGES], nativeEnumName: 'overage' })
  overage: Overage = 'BLOCK';
}
