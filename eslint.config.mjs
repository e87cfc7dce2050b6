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
        // The app never reaches into the local host (a test and sandbox tool, not part of the zip).
        files: ['src/**/*.ts'],
        ignores: ['src/core/**/*.ts'],
        rules: {
            'no-restricted-imports': ['error', { patterns: [{ group: ['**/host/**'], message: 'src/ never imports host/.' }] }],
        },
    },
    {
        // The pure core must not depend on the engine or on any other room of the app: it is tested without them.
        files: ['src/core/**/*.ts'],
        rules: {
            'no-restricted-imports': ['error', {
                patterns: [{
                    group: ['@rocket.chat/*', '**/host/**', '**/store/**', '**/service/**', '**/surfaces/**', '**/access/**', '**/engine/**', '**/i18n/**'],
                    message: 'The core imports nothing from the engine or the other rooms of the app.',
                }],
            }],
        },
    },
    {
        // Only the store talks to persistence: every other room goes through it.
        files: ['src/**/*.ts'],
        ignores: ['src/store/**/*.ts'],
        rules: {
            'no-restricted-syntax': ['error', {
                selector: 'CallExpression[callee.property.name=/^(create|createWithAssociations?|read|readByAssociations?|update|updateByAssociations?|remove|removeByAssociations?)$/][callee.object.name=/persist|Persist/i]',
                message: 'Only src/store talks to persistence.',
            }],
        },
    },
);
