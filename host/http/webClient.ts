// The host's small web client (host/web/, bundled by scripts/build-host.mjs into build/web/): `GET /` serves its page,
// `/web/*` its script and style. It talks to the host only through the REST API a Rocket.Chat client uses.
// Plus Rocket.Chat's `GET /api/apps/languages` (no auth, as on the server), which a client needs to show the apps'
// translated texts (action button labels are i18n keys of the app).
import fs from 'node:fs';
import path from 'node:path';

import type { Instance } from '../instance';
import { repoRoot } from '../paths';
import { notFound, Router } from './router';

const TYPES: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.map': 'application/json; charset=utf-8',
    '.png': 'image/png',
};

/** The files the client is made of: the page and style from host/web/, the bundle from build/web/. */
export function webClientFiles(root = repoRoot()): Record<string, string> {
    return {
        '/': path.join(root, 'host', 'web', 'index.html'),
        '/web/style.css': path.join(root, 'host', 'web', 'style.css'),
        '/web/client.js': path.join(root, 'build', 'web', 'client.js'),
        '/web/client.js.map': path.join(root, 'build', 'web', 'client.js.map'),
        '/web/icon.png': path.join(root, 'icon.png'),
    };
}

export function webClientRoutes(instance: Instance): Router {
    const router = new Router();
    const files = webClientFiles();

    for (const [urlPath, file] of Object.entries(files)) {
        router.get(urlPath, async (rc) => {
            let body: Buffer;
            try {
                body = fs.readFileSync(file);
            } catch {
                throw notFound(`${urlPath} is missing: build the host first (node scripts/build-host.mjs builds build/web/ too)`);
            }
            rc.res.writeHead(200, {
                'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
                'content-length': body.length,
                'cache-control': 'no-store',
            });
            rc.res.end(body);
            return undefined;
        });
    }

    // Rocket.Chat's apps languages endpoint (apps/meteor/ee/server/apps/communication/rest.ts, route 'languages').
    router.get('/api/apps/languages', async () => {
        const apps = (await instance.engine.manager.get()).map((app) => ({ id: app.getID(), languages: app.getStorageItem().languageContent ?? {} }));
        return { apps, success: true };
    });

    return router;
}
