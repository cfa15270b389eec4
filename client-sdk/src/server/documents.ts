/** The GraphQL documents the Node helpers send. Field lists match the SDK's types. */
const ENTITLEMENT_FIELDS = `accountId feature featureName allowed reason limit used remaining requested softLimitReached resetsAt expiresAt plan { key name version }`;
const OFFER_FIELDS = `kind key name version quantity interval newLimit unlocks recommended
  price { amount currency formatted } priceDifference { amount currency formatted }`;

export const ENTITLEMENT = `query TollgateEntitlement($accountId: ID!, $feature: String!, $amount: Int) {
  entitlement(accountId: $accountId, feature: $feature, amount: $amount) { ${ENTITLEMENT_FIELDS} }
}`;

export const CONSUME = `mutation TollgateConsume($input: ConsumeInput!) {
  consume(input: $input) { ok overage entitlement { ${ENTITLEMENT_FIELDS} } offers { ${OFFER_FIELDS} } }
}`;

export const RELEASE = `mutation TollgateRelease($input: ReleaseInput!) {
  release(input: $input) { ok overage entitlement { ${ENTITLEMENT_FIELDS} } offers { ${OFFER_FIELDS} } }
}`;

export const UPGRADE_OFFERS = `query TollgateUpgradeOffers($accountId: ID!, $feature: String!, $amount: Int) {
  upgradeOffers(accountId: $accountId, feature: $feature, amount: $amount) { ${OFFER_FIELDS} }
}`;

export const CHANGE_PLAN = `mutation TollgateChangePlan($input: ChangePlanInput!) {
  changePlan(input: $input) { id subscription { status plan planVersion { version } } }
}`;

export const UPSERT_ACCOUNT = `mutation TollgateUpsertAccount($input: UpsertAccountInput!) { upsertAccount(input: $input) { id } }`;

export const CLIENT_TOKEN = `mutation TollgateClientToken($accountId: ID!, $ttlSeconds: Int) {
  createClientToken(accountId: $accountId, ttlSeconds: $ttlSeconds) { token expiresAt }
}`;
