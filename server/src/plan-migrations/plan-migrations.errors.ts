import { GraphQLError } from 'graphql';

/**
 * A migration's target must be a PUBLISHED version: accounts are never put on a draft, and a
 * RETIRED version takes no new accounts. Codes are part of the public contract.
 */
export function migrationTargetNotPublished(plan: string, version: number | null, status: string | null): GraphQLError {
  const message =
    version === null
      ? `Plan "${plan}" has no published version to migrate to. Publish one with publishPlanVersion, or name another toPlan or toVersion.`
      : `Plan "${plan}" version ${version} is ${status}; a migration moves accounts only to a PUBLISHED version. Publish it with publishPlanVersion, or choose another toVersion.`;
  return new GraphQLError(message, { extensions: { code: 'MIGRATION_TARGET_NOT_PUBLISHED', plan, version, status } });
}

/** The filters select no account: there is nothing to preview or migrate. */
export function emptyMigrationSelection(plan: string, fromVersions: number[] | null, accountIds: string[] | null): GraphQLError {
  const versions = fromVersions ? `version${fromVersions.length > 1 ? 's' : ''} ${fromVersions.join(', ')}` : 'any version';
  const named = accountIds ? ` of the ${accountIds.length} named` : '';
  return new GraphQLError(
    `No account${named} has a subscription on plan "${plan}" (${versions}), so there is nothing to migrate. ` +
      'Check plan, fromVersions and accountIds; a migration that already ran leaves nobody on its source versions.',
    { extensions: { code: 'EMPTY_MIGRATION_SELECTION', plan, fromVersions, accountIds } },
  );
}
