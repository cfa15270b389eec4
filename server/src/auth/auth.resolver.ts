import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { requireBackend, requirePermission } from '../access/index.js';
import { ApiKeyType, ClientTokenType, CreatedApiKeyType } from './api-key.type.js';
import { CreateApiKeyInput } from './create-api-key.input.js';
import type { AuthContext } from './auth.context.js';

/** GraphQL face of credentials. */
@Resolver()
export class AuthResolver {
  @Query(() => [ApiKeyType], { description: 'Every API key, newest first, without secrets. OWNER, or an admin key.' })
  async apiKeys(@Ctx() ctx: AuthContext): Promise<ApiKeyType[]> {
    requirePermission(ctx.principal, 'MANAGE_ACCESS');
    return (await ctx.services.auth.listApiKeys()).map((key) => ApiKeyType.from(key));
  }

  @Mutation(() => CreatedApiKeyType, { description: 'Creates an API key; its secret is in this answer only. OWNER, or an admin key.' })
  async createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: AuthContext): Promise<CreatedApiKeyType> {
    requirePermission(ctx.principal, 'MANAGE_ACCESS');
    const { key, secret } = await ctx.services.auth.createApiKey(ctx.principal, input);
    return Object.assign(new CreatedApiKeyType(), { apiKey: ApiKeyType.from(key), secret });
  }

  @Mutation(() => ApiKeyType, { description: 'Revokes an API key, in every server process at once. OWNER, or an admin key.' })
  async revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: AuthContext): Promise<ApiKeyType> {
    requirePermission(ctx.principal, 'MANAGE_ACCESS');
    return ApiKeyType.from(await ctx.services.auth.revokeApiKey(ctx.principal, id));
  }

  @Mutation(() => ClientTokenType, {
    description: 'A signed token for one account\'s browser: reads its entitlements, usage and offers. ttlSeconds 1-86400, default 900. Server or admin key.',
  })
  async createClientToken(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('ttlSeconds', () => Int, { nullable: true }) ttlSeconds: number | null,
    @Ctx() ctx: AuthContext,
  ): Promise<ClientTokenType> {
    requireBackend(ctx.principal);
    return Object.assign(new ClientTokenType(), await ctx.services.auth.createClientToken({ accountId, ttlSeconds }));
  }
}
