/**
 * The admin secret every test server accepts (TOLLGATE_ADMIN_KEY). In a module of its own, so a
 * test that only spawns server processes (and mocks graphql-ws away, as an app without it) does
 * not load the server's code into its own process.
 */
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef';
