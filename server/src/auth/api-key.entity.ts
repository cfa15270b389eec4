import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { API_KEY_ROLES, type ApiKeyRole } from '../vocabulary/index.js';

export type { ApiKeyRole };


/** Storage: an API key. Only a SHA-256 of its secret is kept; the secret is shown once. */
@Entity({ tableName: 'api_key' })
export class ApiKey {
  [OptionalProps]?: 'id' | 'createdAt' | 'revokedAt' | 'revokedBy';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Enum({ items: [...API_KEY_ROLES], nativeEnumName: 'api_key_role' })
  role!: ApiKeyRole;

  /** The first characters of the secret, so a person can tell keys apart. */
  @Property({ type: 'string', length: 32 })
  prefix!: string;

  @Property({ type: 'string', length: 64, unique: true })
  secretHash!: string;

  @Property({ type: 'string', length: 200 })
  createdBy!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  revokedAt: Date | null = null;

  @Property({ type: 'string', length: 200, nullable: true })
  revokedBy: string | null = null;
}
