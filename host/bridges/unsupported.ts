/**
 * The error every bridge method the local host does not implement throws, so that an app using such a feature
 * fails loudly (the engine hands the message back to the app) instead of silently getting nothing.
 */
export function unsupported(bridge: string, method: string): Error {
    return new Error(`${bridge}.${method} is not available on the local Apps-Engine host (host/bridges/${bridge}.ts)`);
}
