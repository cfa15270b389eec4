import { BigIntType } from '@mikro-orm/core';
import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { SHADOW_DISAGREEMENTS, type DecisionReason, type ShadowDisagreement } from '../vocabulary/index.js';

/**
 * Storage: one shadow comparison, Tollgate's decision beside the host's legacy answer. Written
 * only by the shadow recorder's batched multi-row insert (never through the ORM's unit of work),
 * and never changed. The id is made when the comparison is recorded, so a batch retried after a
 * lost connection inserts each row once (`on conflict (id) do nothing`).
 */
@Entity({ tableName: 'shadow_comparison' })
@Index({ properties: ['comparedAt'] })
@Index({ properties: ['featureKey', 'comparedAt'] })
// The report's samples: the newest disagreements per feature, found without walking the agreements.
@Index({
  name: 'shadow_comparison_disagreed_index',
  expression: 'create index "shadow_comparison_disagreed_index" on "shadow_comparison" ("feature_key", "compared_at") where not "agreed"',
})
export class ShadowComparison {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'string', length: 128 })
  accountId!: string;

  @Property({ type: 'string', length: 64 })
  featureKey!: string;

  /** The amount the decision was asked about; null when none was given (1 was evaluated). */
  @Property({ type: new BigIntType('number'), nullable: true })
  requested!: number | null;

  @Property({ type: 'boolean' })
  legacyAllowed!: boolean;

  /** The legacy check's limit; null when the host sent none (limits were not compared). */
  @Property({ type: new BigIntType('number'), nullable: true })
  legacyLimit!: number | null;

  @Property({ type: 'boolean' })
  allowed!: boolean;

  /** A plain string, not a database enum: a new decision reason needs no migration here. */
  @Property({ type: 'string', length: 32 })
  reason!: DecisionReason;

  /** Tollgate's limit; null = unlimited (and always for SWITCH features). */
  @Property({ type: new BigIntType('number'), nullable: true })
  limit!: number | null;

  @Property({ type: new BigIntType('number') })
  used!: number;

  @Property({ type: new BigIntType('number'), nullable: true })
  remaining!: number | null;

  @Property({ type: 'boolean' })
  agreed!: boolean;

  @Enum({ items: [...SHADOW_DISAGREEMENTS], nativeEnumName: 'shadow_disagreement', nullable: true })
  disagreement!: ShadowDisagreement | null;

  /** The instant of the decision (the service's clock), not of the batched insert. */
  @Property({ type: 'datetime' })
  comparedAt!: Date;
}
