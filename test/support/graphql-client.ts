import { GraphQLClient } from 'graphql-request';

/** A GraphQL error as the server sent it. */
export interface ReceivedError {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
  path?: (string | number)[];
}

/** The whole answer: data and errors side by side, as a frontend sees them. */
export interface GraphQLResult<T> {
  data: T | null;
  errors: ReceivedError[];
}

/**
 * A real GraphQL client over HTTP (graphql-request), bound to one bearer credential. `request`
 * returns data or throws with the server's errors; `raw` returns both for tests about errors.
 */
export class GraphQLTestClient {
  private readonly client: GraphQLClient;

  constructor(url: string, credential: string | null, headers: Record<string, string> = {}) {
    this.client = new GraphQLClient(url, {
      headers: { ...headers, ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
      errorPolicy: 'all',
    });
  }

  async raw<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>> {
    try {
      const result = await this.client.rawRequest<T>(query, variables);
      return { data: (result.data ?? null) as T | null, errors: (result.errors ?? []) as ReceivedError[] };
    } catch (error: any) {
      // Errors before execution (validation, bad variables) come back as ClientError with a 400.
      if (error?.response?.errors) return { data: error.response.data ?? null, errors: error.response.errors };
      throw error;
    }
  }

  async request<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const result = await this.raw<T>(query, variables);
    if (result.errors.length) {
      throw new Error(`GraphQL errors: ${result.errors.map((error) => `${error.extensions?.code}: ${error.message}`).join('; ')}`);
    }
    return result.data as T;
  }

  /** The code of the first error, for tests that expect a refusal. */
  async errorCode(query: string, variables?: Record<string, unknown>): Promise<string | undefined> {
    const result = await this.raw(query, variables);
    return result.errors[0]?.extensions?.code;
  }
}
