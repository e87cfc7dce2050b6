import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
    { ignores: ['dist/**', 'build/**', 'node_modules/**', '.deno/**', 'data/**', 'reports/**', '.stryker-tmp/**'] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        languageOptions: { globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly' } },
        rules: {
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
            'no-restricted-imports': 'off',
        },
    },
    { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } } },
    // Persistence: which room of src/ may name the engine's persistence. The layer rules (which room imports which
    // module: core, store, engine, host, the App class) are dependency-cruiser's, in .dependency-cruiser.cjs; the rules
    // here name single symbols of an engine module, which a module-level checker cannot see. Both run in `npm test`,
    // and test/boundaries/boundaries.test.ts plants a violation of each. The README's Development section lists them.
    //
    // - Only src/store reads or writes persistence: IPersistenceRead, the association records and the persistence
    //   calls are named nowhere else; only src/engine (the adapter that builds the stores) asks for the reader.
    // - IPersistence itself, the handle the engine gives every endpoint, command and listener call, may be named where
    //   the engine hands it over (src/engine, the App class, src/surfaces), to be passed on unopened to the service
    //   factory; never in core, access, service or i18n.
    ...persistenceRules(),
);

function persistenceRules() {
    const storeOnly = 'Only src/store reads or writes persistence (IPersistenceRead, association records, persistence calls).';
    const handle = 'IPersistence is named only where the engine hands it over (src/engine, the App class, src/surfaces) and passed on unopened.';
    const restricted = (withHandle) => ['error', {
        paths: [
            { name: '@rocket.chat/apps-engine/definition/accessors', importNames: ['IPersistenceRead'], message: storeOnly },
            ...(withHandle ? [{ name: '@rocket.chat/apps-engine/definition/accessors', importNames: ['IPersistence'], message: handle }] : []),
            { name: '@rocket.chat/apps-engine/definition/metadata', importNames: ['RocketChatAssociationRecord', 'RocketChatAssociationModel'], message: storeOnly },
        ],
        patterns: [
            {
                group: [
                    '@rocket.chat/apps-engine/definition/persistence', '@rocket.chat/apps-engine/definition/persistence/**',
                    '@rocket.chat/apps-engine/definition/accessors/IPersistenceRead', '@rocket.chat/apps-engine/definition/metadata/RocketChatAssociations',
                ],
                message: storeOnly,
            },
            ...(withHandle ? [{ group: ['@rocket.chat/apps-engine/definition/accessors/IPersistence'], message: handle }] : []),
        ],
    }];
    const calls = {
        selector: 'CallExpression[callee.property.name=/^(create|createWithAssociations?|read|readByAssociations?|update|updateByAssociations?|remove|removeByAssociations?)$/][callee.object.name=/persist|Persist/i]',
        message: storeOnly,
    };
    const reader = { selector: 'CallExpression[callee.property.name="getPersistenceReader"]', message: 'Only src/store and the adapters of src/engine that build it ask for the persistence reader.' };
    return [
        {
            files: ['src/**/*.ts'],
            ignores: ['src/store/**/*.ts'],
            rules: { 'no-restricted-imports': restricted(true), 'no-restricted-syntax': ['error', calls, reader] },
        },
        {
            // where the engine hands IPersistence over
            files: ['src/engine/**/*.ts', 'src/surfaces/**/*.ts', 'src/MetadataStoreApp.ts'],
            rules: { 'no-restricted-imports': restricted(false) },
        },
        {
            // the adapters build the stores: they ask for the reader (and name nothing else of persistence)
            files: ['src/engine/**/*.ts'],
            rules: { 'no-restricted-syntax': ['error', calls] },
        },
    ];
}
