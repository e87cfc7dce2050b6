import { HttpStatusCode } from '@rocket.chat/apps-engine/definition/accessors';
import { IApiExample, IApiResponse } from '@rocket.chat/apps-engine/definition/api';

import { JsonEndpoint } from './JsonEndpoint';
import { openApiDocument, PUBLIC_PATH } from './openapi';

/**
 * `openapi.json`: the OpenAPI 3.1 description of this API (SPEC §7), for anyone: no login needed, so the
 * server hands the request over as it came. HEAD, OPTIONS and 405 come from JsonEndpoint like everywhere.
 */
export class OpenApiEndpoint extends JsonEndpoint {
    public path = PUBLIC_PATH;
    public authRequired = false;
    protected readonly allowed = ['GET'];
    public examples: Record<string, IApiExample> = {
        'This API as an OpenAPI 3.1 document (no login needed)': {},
    };
    private document?: object;

    public async get(): Promise<IApiResponse> {
        this.document ??= openApiDocument(this.app.getID(), this.app.getVersion());
        return { status: HttpStatusCode.OK, headers: { 'content-type': 'application/json' }, content: this.document };
    }
}
