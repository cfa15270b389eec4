import 'reflect-metadata';
import { GraphQLSchema, printSchema, type GraphQLObjectType } from 'graphql';
import { buildSchema, getMetadataStorage, type PubSub } from 'type-graphql';
import { AccountsResolver } from '../accounts/index.js';
import { AuditResolver } from '../audit/index.js';
import { AuthResolver } from '../auth/index.js';
import { BillingAccountResolver, BillingResolver } from '../billing/index.js';
import { CatalogResolver, PlanVersionResolver } from '../catalog/index.js';
import { EntitlementsResolver } from '../entitlements/index.js';
import { LiveResolver } from '../live/index.js';
import { MeteringResolver, UsageHistoryResolver } from '../metering/index.js';
import { OffersResolver } from '../offers/index.js';
import { OperatorsResolver } from '../operators/index.js';
import { OverrideRequestsResolver, OverridesResolver } from '../overrides/index.js';
import { ShadowResolver } from '../shadow/index.js';
import { PlanMigrationPreviewResolver, PlanMigrationsResolver } from '../plan-migrations/index.js';

/**
 * Every resolver of the service; the schema is what they declare. Their root fields appear in
 * this order (then in each resolver's declaration order), whatever order their modules load in.
 */
export const resolvers = [
  AccountsResolver,
  AuditResolver,
  AuthResolver,
  CatalogResolver,
  PlanVersionResolver,
  EntitlementsResolver,
  LiveResolver,
  MeteringResolver,
  UsageHistoryResolver,
  OffersResolver,
  OverridesResolver,
  BillingResolver,
  BillingAccountResolver,
  ShadowResolver,
  PlanMigrationsResolver,
  PlanMigrationPreviewResolver,
  OperatorsResolver,
  OverrideRequestsResolver,
] as const;

/**
 * type-graphql refuses to build a schema with subscriptions unless it is given a pubsub, even
 * when every subscription brings its own event stream (`subscribe`), as Tollgate's does. This
 * one says so if anything ever uses it.
 */
const noPubSub: PubSub = {
  publish() {
    throw new Error('Tollgate subscriptions build their own event streams (@Subscription({ subscribe })); there is no pubsub.');
  },
  subscribe() {
    throw new Error('Tollgate subscriptions build their own event streams (@Subscription({ subscribe })); there is no pubsub.');
  },
};

/** Builds the executable schema from the resolvers' decorators. */
export async function buildTollgateSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({ resolvers, validate: false, pubSub: noPubSub });
  orderRootArguments(schema);
  orderRootFields(schema);
  // Collect the types again from the reordered roots, so the printed schema's order follows them.
  return new GraphQLSchema({ ...schema.toConfig(), types: [] });
}

/**
 * type-graphql lists root fields in the order their decorators ran, which is module load order
 * and moves when an import does. Put them in the order of `resolvers`, then declaration order.
 */
function orderRootFields(schema: GraphQLSchema): void {
  const storage = getMetadataStorage();
  for (const [root, handlers] of [
    [schema.getQueryType(), storage.queries],
    [schema.getMutationType(), storage.mutations],
  ] as const) {
    if (!root) continue;
    const rank = new Map(
      handlers.map((handler, index) => [handler.schemaName, resolvers.indexOf(handler.target as never) * 10_000 + index] as const),
    );
    const fields = root.getFields();
    const ordered = Object.entries(fields).sort(([a], [b]) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
    for (const [name] of ordered) delete fields[name];
    for (const [name, field] of ordered) fields[name] = field;
  }
}

/**
 * Legacy parameter decorators run last to first, so type-graphql lists the arguments of a root
 * field (and of a field resolver, such as a connection's `first` and `after`) in reverse. Put them
 * back in declaration order, the order the contract shows.
 */
function orderRootArguments(schema: GraphQLSchema): void {
  const storage = getMetadataStorage();
  const objectType = (handler: (typeof storage.fieldResolvers)[number]) => {
    const target = handler.getObjectType?.();
    const name = storage.objectTypes.find((type) => type.target === target)?.name;
    return name ? (schema.getType(name) as GraphQLObjectType | undefined) : undefined;
  };
  const handlersByType: [GraphQLObjectType | null | undefined, { schemaName: string; params?: (typeof storage.queries)[number]['params'] }[]][] = [
    [schema.getQueryType(), storage.queries],
    [schema.getMutationType(), storage.mutations],
    ...storage.fieldResolvers.map((handler) => [objectType(handler), [handler]] as [GraphQLObjectType | undefined, (typeof storage.fieldResolvers)]),
  ];
  for (const [type, handlers] of handlersByType) {
    const fields = type?.getFields() ?? {};
    for (const handler of handlers) {
      const field = fields[handler.schemaName];
      if (!field) continue;
      const position = new Map(
        (handler.params ?? []).flatMap((param) => (param.kind === 'arg' ? [[param.name, param.index] as const] : [])),
      );
      (field.args as unknown as { name: string }[]).sort((a, b) => (position.get(a.name) ?? 0) - (position.get(b.name) ?? 0));
    }
  }
}

/** The SDL committed as schema.graphql, in the resolvers' declaration order (arguments as the contract lists them). */
export function printTollgateSchema(schema: GraphQLSchema): string {
  return `# Generated by \`npm run schema\` from the server's resolvers. Do not edit by hand.\n\n${printSchema(schema)}\n`;
}
