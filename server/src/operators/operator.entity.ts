import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { OPERATOR_ROLES, type OperatorRole } from '../vocabulary/index.js';

/**
 * Storage: a person who operates Tollgate through the console. Never deleted: deactivating keeps
 * the name the audit log points at. `passwordHash` is null until an invite is accepted.
 */
@Entity({ tableName: 'operator' })
export class Operator {
  [OptionalProps]?: 'id' | 'active' | 'passwordHash' | 'createdAt' | 'updatedAt' | 'deactivatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Lowercased at write, so one person has one row whatever the case they type. */
  @Property({ type: 'string', length: 320, unique: true })
  email!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Enum({ items: [...OPERATOR_ROLES], nativeEnumName: 'operator_role' })
  role!: OperatorRole;

  /** False once deactivated (or until a re-invited, deactivated operator accepts). */
  @Property({ type: 'boolean' })
  active: boolean = true;

  /** argon2id (PHC string, its parameters inside); null while the invite is not accepted. */
  @Property({ type: 'string', length: 255, nullable: true })
  passwordHash: string | null = null;

  @Property({ type: 'string', length: 320 })
  createdBy!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  deactivatedAt: Date | null = null;
}
