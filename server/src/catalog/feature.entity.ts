import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { FEATURE_KINDS, type FeatureKind } from '../vocabulary/index.js';

/** Storage: one row per feature in the catalog. */
@Entity({ tableName: 'feature' })
export class Feature {
  [OptionalProps]?: 'id' | 'description' | 'unit' | 'requires' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 64, unique: true })
  key!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Enum({ items: [...FEATURE_KINDS], nativeEnumName: 'feature_kind' })
  kind!: FeatureKind;

  @Property({ type: 'string', length: 64, nullable: true })
  unit: string | null = null;

  @Property({ type: 'json' })
  requires: string[] = [];

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
