// Lint is a gate: strict type-aware rules, no floating promises, exhaustive switches, type-only
// imports, no relative or deep imports across libs, and dependencies that run one way.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/**
 * Libs from the bottom up. A lib imports only libs before it: the foundations know no domain,
 * and the domains run identity → access → notifications → patients → monitoring → alerting → the
 * areas still to come. Identity says who someone is; access, right above it, says which patients
 * they may see (so it can grow care teams and consent without identity knowing them); notifications
 * sit just above, so any domain can send through them.
 * What must flow back goes through jobs or socket events. Later areas are listed so that
 * their place is fixed before their code arrives.
 */
export const LIB_LAYERS = [
  'contracts',
  'config',
  'observability',
  'platform',
  'identity',
  'access',
  'notifications',
  'patients',
  'monitoring',
  'alerting',
  'care',
  'telehealth',
  'billing',
  'interop',
];

const BASE_PATTERNS = [
  {
    group: ['../../libs/*', '../../../libs/*', '**/libs/*/src/*'],
    message: 'Import a lib by its @homeward/* alias.',
  },
  {
    group: ['@homeward/*/*'],
    message: 'No deep imports: use the lib root alias (it exports only services).',
  },
  { group: ['**/apps/*'], message: 'Apps never import each other, and libs never import apps.' },
];
const NO_TESTING = { group: ['@homeward/testing'], message: '@homeward/testing is for tests only.' };
const TEST_FILES = ['**/*.spec.ts', '**/*.int-spec.ts'];

function restrictedImports(patterns) {
  return { 'no-restricted-imports': ['error', { patterns }] };
}

/** For each lib: its later libs are off limits, in its code and in its tests alike. */
const layerRules = LIB_LAYERS.flatMap((lib, index) => {
  const later = LIB_LAYERS.slice(index + 1);
  const upward = later.length
    ? [
        {
          group: later.map((name) => `@homeward/${name}`),
          message: `@homeward/${lib} may import only ${LIB_LAYERS.slice(0, index).join(', ') || 'no other lib'}: dependencies run one way (see README, Layout).`,
        },
      ]
    : [];
  return [
    { files: [`libs/${lib}/**/*.ts`], rules: restrictedImports([...BASE_PATTERNS, ...upward, NO_TESTING]) },
    {
      files: TEST_FILES.map((glob) => `libs/${lib}/${glob}`),
      rules: restrictedImports([...BASE_PATTERNS, ...upward]),
    },
  ];
});

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-bench/**',
      'node_modules/**',
      'coverage/**',
      '**/*.js',
      '**/*.mjs',
      // Generated from the OpenAPI document by `npm run build`.
      'apps/console/src/api/schema.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      ...restrictedImports(BASE_PATTERNS),
    },
  },
  { files: ['apps/**/*.ts'], ignores: TEST_FILES, rules: restrictedImports([...BASE_PATTERNS, NO_TESTING]) },
  {
    files: ['devices-simulator/**/*.ts'],
    ignores: TEST_FILES,
    rules: restrictedImports([
      ...BASE_PATTERNS,
      {
        group: ['@homeward/*', '!@homeward/contracts'],
        message: 'The simulator is a stand-alone device: it imports the device contract only.',
      },
    ]),
  },
  {
    files: ['apps/console/**/*.ts', 'apps/console/**/*.tsx'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    files: ['apps/console/**/*.ts', 'apps/console/**/*.tsx'],
    rules: restrictedImports([
      ...BASE_PATTERNS,
      {
        group: ['@homeward/*', '!@homeward/contracts'],
        message: 'The console talks to the platform over HTTP and sockets: it imports the contracts only.',
      },
    ]),
  },
  ...layerRules,
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', 'test/**/*.ts', 'libs/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
