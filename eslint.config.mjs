import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
    { ignores: ['dist/**', 'build/**', 'node_modules/**', '.deno/**', 'data/**'] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        languageOptions: { globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly' } },
        rules: {
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
            'no-restricted-imports': 'off',
        },
    },
    {
        // The pure core must not depend on the engine: it is tested without it.
        files: ['src/core/**/*.ts'],
        rules: {
            'no-restricted-imports': ['error', { patterns: ['@rocket.chat/*', '../store/*', '../service/*', '../surfaces/*', '../access/*'] }],
        },
    },
);
