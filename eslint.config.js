// ESLint for the whole repository: typescript-eslint's recommended rules on every TypeScript
// file. The architecture (which domain may use which) is checked by dependency-cruiser
// (.dependency-cruiser.cjs); both run in `npm run lint`, which CI runs before the tests.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'client-sdk/src/generated/**', 'server/console/src/generated/**', 'examples/react-app/dist/**', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mts}'],
    rules: {
      // Unused names are mistakes, except a deliberately ignored `_`-prefixed one.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Decorated classes and `import type` carry the types; explicit `any` stays visible in review.
      '@typescript-eslint/no-explicit-any': 'off',
      // Type imports stay type imports: they vanish at run time, which the boundary check relies on.
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
    languageOptions: { globals: { console: 'readonly', process: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', URL: 'readonly', fetch: 'readonly', setTimeout: 'readonly' } },
  },
);
