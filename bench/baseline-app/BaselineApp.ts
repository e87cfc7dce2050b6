import { HttpStatusCode, IConfigurationExtend, IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiEndpoint, ApiSecurity, ApiVisibility, IApiEndpointInfo, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import { App } from '@rocket.chat/apps-engine/definition/App';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';

import { PROTOCOL, Step } from './protocol';

/*
 * Bench only (scripts/bench-engine.ts): the baselines the Metadata Store is measured against, in the
 * same engine, behind the same kind of endpoint (authRequired, UNSECURE, JSON in and out).
 *
 *   GET  noop                        no persistence call: the engine's cost of a request
 *   GET  one/:ns/:id                 exactly one read
 *   PUT  one/:ns/:id                 exactly one read + one write (an upsert of one record)
 *   POST one/:ns/:id/state           the same
 *   GET  protocol/:ns/:id            the store's calls for a read   (protocol.ts)
 *   PUT  protocol/:ns/:id            the store's calls for a write
 *   POST protocol/:ns/:id/state      the store's calls for a state operation
 *
 * No access checks, no validation, no events: nothing but the calls.
 */

const TAG = 'bench-baseline';

const misc = (id: string) => new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, id);

function subjectOf(request: IApiRequest): string {
    return `${request.params.ns}:${request.params.id}`;
}

abstract class Endpoint extends ApiEndpoint {
    public authRequired = true;
}

class NoopEndpoint extends Endpoint {
    public path = 'noop';

    public async get(): Promise<IApiResponse> {
        return this.success({ ok: true });
    }
}

/** One read (GET), or one read + one write (PUT, POST). */
class OneCallEndpoint extends Endpoint {
    constructor(
        app: App,
        public path: string,
    ) {
        super(app);
    }

    public async get(request: IApiRequest, _e: IApiEndpointInfo, read: IRead): Promise<IApiResponse> {
        const [record] = await read.getPersistenceReader().readByAssociations([misc(TAG), misc(`one:${subjectOf(request)}`)]);
        return this.success({ value: (record as { value?: unknown } | undefined)?.value ?? null });
    }

    public async put(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, _m: IModify, _h: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.readThenWrite(request, read, persis);
    }

    public async post(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, _m: IModify, _h: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.readThenWrite(request, read, persis);
    }

    private async readThenWrite(request: IApiRequest, read: IRead, persis: IPersistence): Promise<IApiResponse> {
        const associations = [misc(TAG), misc(`one:${subjectOf(request)}`)];
        const [record] = await read.getPersistenceReader().readByAssociations(associations);
        try {
            await persis.updateByAssociations(associations, { value: request.content ?? null }, true);
        } catch {
            // Some server versions answer an update of an existing record by throwing after the write.
        }
        return this.success({ previous: (record as { value?: unknown } | undefined)?.value ?? null });
    }
}

interface LogRecord {
    entry: string;
    revision: number;
    value?: unknown;
}

let nonces = 0;

/** The store's persistence calls for one operation (protocol.ts), in order, and nothing else. */
class ProtocolEndpoint extends Endpoint {
    constructor(
        app: App,
        public path: string,
        private readonly byMethod: { get?: Step[]; put?: Step[]; post?: Step[] },
    ) {
        super(app);
    }

    public async get(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, _m: IModify, _h: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.run(this.byMethod.get, request, read, persis);
    }

    public async put(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, _m: IModify, _h: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.run(this.byMethod.put, request, read, persis);
    }

    public async post(request: IApiRequest, _e: IApiEndpointInfo, read: IRead, _m: IModify, _h: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.run(this.byMethod.post, request, read, persis);
    }

    private async run(steps: Step[] | undefined, request: IApiRequest, read: IRead, persis: IPersistence): Promise<IApiResponse> {
        if (!steps) return { status: HttpStatusCode.METHOD_NOT_ALLOWED, content: { error: 'method not allowed' } };
        const subject = misc(`subject:${subjectOf(request)}`);
        const nonce = `${Date.now().toString(36)}${(nonces++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
        let revision = 0;
        let value: unknown = null;
        const perform = async (step: Step): Promise<void> => {
            switch (step.call) {
                case 'read': {
                    const records = (await read.getPersistenceReader().readByAssociations([misc(TAG), subject])) as LogRecord[];
                    if (revision === 0) {
                        revision = 1;
                        for (const r of records) {
                            if (r.entry === 'commit' && r.revision >= revision) revision = r.revision + 1;
                            if (r.entry === 'accept') value = r.value;
                        }
                    }
                    return;
                }
                case 'create': {
                    const holdsValue = step.entry === 'accept' || step.entry === 'state-op' || step.entry === 'history';
                    const data: LogRecord = { entry: step.entry, revision, ...(holdsValue && { value: request.content ?? null }) };
                    const own = step.entry === 'state-op' ? [misc(`op:${nonce}`)] : [misc(`revision:${revision}`), misc(`ballot:${nonce}`)];
                    // history lives beside the subject's records, not among them (a load never reads it)
                    const where = step.entry === 'history' ? misc(`history-of:${subjectOf(request)}`) : subject;
                    await persis.createWithAssociations(data, [misc(TAG), misc(`kind:${step.entry}`), where, ...own]);
                    return;
                }
                case 'together':
                    await Promise.all(step.steps.map(perform));
                    return;
                case 'read-history':
                    await read.getPersistenceReader().readByAssociations([misc(TAG), misc('kind:history'), misc(`history-of:${subjectOf(request)}`), misc(`revision:${revision - step.back}`)]);
                    return;
                case 'remove':
                    await persis.removeByAssociations([misc(TAG), misc(`kind:${step.entry}`), subject, misc(`revision:${revision - step.back}`)]);
                    return;
                case 'answer':
                    return;
            }
        };
        const answerAt = steps.findIndex((s) => s.call === 'answer');
        const before = answerAt < 0 ? steps : steps.slice(0, answerAt);
        const after = answerAt < 0 ? [] : steps.slice(answerAt + 1);
        for (const step of before) await perform(step);
        if (after.length) {
            void (async () => {
                for (const step of after) await perform(step);
            })().catch((error) => this.app.getLogger().error('bench baseline: clean-up failed', String(error)));
        }
        return this.success({ majorRevision: revision, value });
    }
}

export default class BaselineApp extends App {
    protected async extendConfiguration(configuration: IConfigurationExtend): Promise<void> {
        await configuration.api.provideApi({
            visibility: ApiVisibility.PUBLIC,
            security: ApiSecurity.UNSECURE,
            endpoints: [
                new NoopEndpoint(this),
                new OneCallEndpoint(this, 'one/:ns/:id'),
                new OneCallEndpoint(this, 'one/:ns/:id/state'),
                new ProtocolEndpoint(this, 'protocol/:ns/:id', { get: PROTOCOL.get, put: PROTOCOL.put }),
                new ProtocolEndpoint(this, 'protocol/:ns/:id/state', { post: PROTOCOL.state }),
            ],
        });
    }
}
