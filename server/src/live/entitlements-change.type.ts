import { Field, ID, ObjectType } from 'type-graphql';
import { EntitlementType } from '../entitlements/index.js';
import type { EntitlementsChange } from './live-entitlements.js';

/** GraphQL: one live push, every decision of one account as it stood at `at`. */
@ObjectType('EntitlementsChange')
export class EntitlementsChangeType {
  @Field(() => ID)
  accountId!: string;

  @Field(() => Date, {
    description: 'When these decisions\' inputs were read (each Entitlement.asOf). Never earlier than the previous push\'s for this subscription.',
  })
  at!: Date;

  @Field(() => [EntitlementType], { description: 'A decision for every feature in the catalog, by key, as `entitlements(accountId)` answers.' })
  entitlements!: EntitlementType[];

  /** The GraphQL shape of a push, built once per push however many subscribers read it. */
  static from(change: EntitlementsChange): EntitlementsChangeType {
    let shaped = shapedChanges.get(change);
    if (!shaped) {
      shaped = Object.assign(new EntitlementsChangeType(), {
        accountId: change.accountId,
        at: change.at,
        entitlements: change.entitlements.map(({ feature, decision, asOf }) => EntitlementType.from(change.accountId, feature, decision, null, asOf)),
      });
      shapedChanges.set(change, shaped);
    }
    return shaped;
  }
}

/** Pushes already shaped, while anyone still holds them. */
const shapedChanges = new WeakMap<EntitlementsChange, EntitlementsChangeType>();
