import nx from '@nx/eslint-plugin';

// Packages the pure libraries must never import: the domain and the regulations stay free of
// frameworks, databases and store clients, so they can be tested and reasoned about alone.
const infrastructure = ['@nestjs/*', 'typeorm', '@nestjs/typeorm', 'pg', 'pg-*', '@kurrent/*', '@electric-sql/*', 'fastify', '@fastify/*', 'jose'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/**', '.nx/**', 'bench/results/**', 'apps/web/e2e/**', 'apps/web/*.js'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:regulations', onlyDependOnLibsWithTags: [], bannedExternalImports: infrastructure },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:regulations'], bannedExternalImports: infrastructure },
            { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:read-model', onlyDependOnLibsWithTags: ['type:domain', 'type:regulations', 'type:adapter'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:adapter', 'type:regulations'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:regulations', 'type:adapter', 'type:read-model', 'type:platform'] },
            // The dashboard reads only the public HTTP API: no workspace library, no server package.
            { sourceTag: 'type:web', onlyDependOnLibsWithTags: [], bannedExternalImports: [...infrastructure, 'zod', 'pino', 'rxjs'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/testing/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
