import { Enum, Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { OPERATOR_LINK_PURPOSES, type OperatorLinkPurpose } from '../vocabulary/index.js';
import { Operator } from './operator.entity.js';

/**
 * Storage: a one-time link (`/console/invite/<token>`, `/console/reset/<token>`). Only the
 * SHA-256 of its token is kept; it is shown once to the owner who made it. Used once, then
 * stamped `usedAt`; a newer link of the same purpose supersedes it.
 */
@Entity({ tableName: 'operator_link' })
@Index({ properties: ['operator', 'purpose'] })
export class OperatorLink {
  [OptionalProps]?: 'usedAt';

  @PrimaryKey({ type: 'string', length: 64 })
  tokenHash!: string;

  @ManyToOne(() => Operator, { deleteRule: 'cascade' })
  operator!: Rel<Operator>;

  @Enum({ items: [...OPERATOR_LINK_PURPOSES], nativeEnumName: 'operator_link_purpose' })
  purpose!: OperatorLinkPurpose;

  @Property({ type: 'string', length: 320 })
  createdBy!: string;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  usedAt: Date | null = null;
}
