import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * Storage: failed sign-ins counted per email and per client address, shared by every process on
 * the database (sign-in-throttle.ts holds the SQL). A row lives while its window or lockout
 * does; expired rows are swept as new failures come in, so the table stays as small as the
 * attack against it.
 */
@Entity({ tableName: 'sign_in_throttle' })
@Index({ properties: ['updatedAt'] })
export class SignInCounter {
  /** `email:<lowercased email>` or `address:<client address>`. */
  @PrimaryKey({ type: 'string', length: 400 })
  key!: string;

  @Property({ type: 'integer' })
  failures!: number;

  /** When the current counting window began. */
  @Property({ type: 'datetime' })
  windowStartedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  lockedUntil: Date | null = null;

  @Property({ type: 'datetime' })
  updatedAt!: Date;
}
