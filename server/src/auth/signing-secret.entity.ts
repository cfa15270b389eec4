import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * Storage: the secret that signs client tokens when TOLLGATE_TOKEN_SECRET is not set. Kept in
 * the database so every server process on it signs and verifies alike.
 */
@Entity({ tableName: 'signing_secret' })
export class SigningSecret {
  @PrimaryKey({ type: 'string', length: 32 })
  name!: string;

  @Property({ type: 'string', length: 128 })
  secret!: string;
}
