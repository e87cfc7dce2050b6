/*
 * The layer rules of the app (ARCHITECTURE: surface → service → core + store; engine adapts; the App class wires),
 * checked by dependency-cruiser on every `npm test` (`npm run boundaries`). This file says which room of `src/` may
 * import which module; the rules that name single symbols of the engine (IPersistence, IPersistenceRead, association
 * records, persistence calls) cannot be seen at module level and live in eslint.config.mjs, "Persistence" block.
 * test/boundaries.test.ts plants a violation of every rule here and expects it to fail.
 */

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
    forbidden: [
        {
            name: 'core-imports-only-core',
            severity: 'error',
            comment:
                'src/core is pure TypeScript, tested without the engine: it imports nothing outside src/core — no other room, no engine ' +
                'package, no Node built-in. The one exception is a runtime dependency of package.json ("dependencies": lodash), which ' +
                'is pure and bundled into the zip.',
            from: { path: '^src/core/' },
            to: { pathNot: '^src/core/', dependencyTypesNot: ['npm'] },
        },
        {
            name: 'src-never-imports-host',
            severity: 'error',
            comment: 'host/ is the local sandbox and test host, not part of the zip: nothing in src/ imports it.',
            from: { path: '^src/' },
            to: { path: '^host/' },
        },
        {
            name: 'store-code-only-in-store-and-engine',
            severity: 'error',
            comment:
                'The store (the persistence classes, their records and codecs) is built only by the adapter layer src/engine and ' +
                'reached by everyone else through the service\'s ports. Elsewhere — surfaces, service, access, the App class — ' +
                'src/store may be named only in `import type` (erased by the compiler: no store code runs there), for the shapes ' +
                'of what the store hands back (PendingDelivery, OutboxEntry, WriteFate, …). (src/core may not name the store at all: core-imports-only-core.)',
            from: { path: '^src/', pathNot: '^src/(store|engine|core)/' },
            to: { path: '^src/store/', dependencyTypesNot: ['type-only'] },
        },
        {
            name: 'store-imports-only-core',
            severity: 'error',
            comment: 'The store sits under the service: of the app\'s own rooms it imports only src/core (and the engine\'s persistence).',
            from: { path: '^src/store/' },
            to: { path: '^src/', pathNot: '^src/(core|store)/' },
        },
        {
            name: 'service-and-access-never-import-surfaces-or-engine',
            severity: 'error',
            comment: 'Data flows one way: surfaces call the service, the engine adapts to its ports; never the reverse.',
            from: { path: '^src/(service|access)/' },
            to: { path: '^src/(surfaces|engine)/' },
        },
        {
            name: 'engine-wired-only-by-the-app-class',
            severity: 'error',
            comment:
                'src/engine adapts the engine\'s accessors to the service\'s ports; only the composition root ' +
                '(src/MetadataStoreApp.ts) wires the adapters in.',
            from: { path: '^src/', pathNot: ['^src/engine/', '^src/MetadataStoreApp\\.ts$'] },
            to: { path: '^src/engine/' },
        },
        {
            name: 'app-class-is-the-root',
            severity: 'error',
            comment: 'src/MetadataStoreApp.ts is the composition root: nothing in src/ imports it.',
            from: { path: '^src/' },
            to: { path: '^src/MetadataStoreApp\\.ts$' },
        },
        {
            name: 'src-imports-resolve',
            severity: 'error',
            comment: 'An import the checker cannot resolve could slip past every rule above.',
            from: { path: '^src/' },
            to: { couldNotResolve: true },
        },
    ],
    options: {
        doNotFollow: { path: 'node_modules' },
        // `import type` and imports of types only are dependencies too: the rules see them as the source has them.
        tsPreCompilationDeps: true,
        enhancedResolveOptions: {
            exportsFields: ['exports'],
            conditionNames: ['import', 'require', 'node', 'default', 'types'],
            extensions: ['.ts', '.d.ts', '.js', '.json'],
        },
    },
};
