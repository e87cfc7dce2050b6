import { isAdmin } from '../access/rules';
import { isMetadataError, MetadataError } from '../core/errors';
import { planRestore } from '../core/locks';
import { ExportedLock, exportLineOf, formatExportLine, ImportLine, importedItems, parseImportBody, parseImportLines, planImport } from '../core/exportLine';
import { Namespace, StateOp, SubjectRef, SubjectSnapshot, Subscription } from '../core/types';
import { AppSettingsValues } from '../settings';
import { batchSize, IndexReader, walkIndex } from './indexWalk';
import { Existence } from './lifecycle';
import { Clock, Log, StorePort } from './ports';
import { errorText } from './runEffects';
import { Caller } from './types';

/*
 * SPEC §18, administration: admins export everything (`GET admin/export`, NDJSON, a page of subjects per call),
 * import it (`POST admin/import`) and list the subjects that hold metadata (`GET admin/subjects`). Export and list
 * walk the subject index through indexWalk.ts, like the sweep. The format and every rule of an import are the
 * core's (core/exportLine.ts); here they meet the store:
 *
 * - every line is judged before anything is written (a bad line is a 400 naming it, and nothing is written);
 * - then subject by subject, in the order of the lines: the items go in as ONE write through the revision log
 *   (MetadataStore.writeItems), at majorRevision max(current + 1, the line's), so they land whole or not at all;
 *   then the state operations the subject lacks, with their original ids (a load keeps one op per id:
 *   core/state/order.ts, so even an op appended twice counts once); then the subscriptions it lacks, for
 *   subscribers who still exist;
 * - a subject already at the line's revision with all of it is skipped, so importing twice changes nothing the
 *   second time; one above it (it changed since the export) is skipped whole: no revision is ever lowered.
 * A failure part-way through a subject (the server stopped, the store answered 503) leaves the subjects before it
 * complete and those after it untouched; running the same import again finishes it, and changes nothing else.
 * Imports send no events, status messages or webhook deliveries, and do not touch the customFields mirror (the
 * subject's next write refreshes it).
 */

/** What the admin service needs of the store (src/store/MetadataStore). */
export type AdminStorePort = IndexReader & Pick<StorePort, 'load' | 'writeItems' | 'appendStateOp' | 'subscribersOf' | 'putSubscription' | 'changeLocks'>;

export interface AdminDeps {
    store: AdminStorePort;
    existence: Existence;
    settings: () => Promise<AppSettingsValues>;
    clock: Clock;
    log: Log;
    /** shards of the subject index per namespace (src/store/records.ts INDEX_SHARDS) */
    shards: number;
    /** ids of restored lock holds */
    newId: () => string;
}

export const DEFAULT_EXPORT_PAGE = 20;
export const MAX_EXPORT_PAGE = 100;
export const DEFAULT_SUBJECTS_PAGE = 50;
export const MAX_SUBJECTS_PAGE = 200;

export interface PageRequest {
    cursor?: string;
    /** subjects of the index to look at in this call */
    limit?: number;
}

export interface ExportPage {
    /** NDJSON lines (without newlines), one per subject that holds anything */
    lines: string[];
    /** the cursor of the next page; null after the last */
    next: string | null;
}

export interface SubjectSummary {
    /** `<ns>:<id>` */
    subject: string;
    namespace: Namespace;
    id: string;
    majorRevision: number;
    /** how many items */
    items: number;
    /** how many state keys hold operations */
    stateKeys: number;
}

export interface SubjectsPage {
    subjects: SubjectSummary[];
    next: string | null;
}

export interface SubjectImport {
    line: number;
    /** `<ns>:<id>` */
    subject: string;
    outcome: 'imported' | 'skipped' | 'refused';
    /** the subject's majorRevision after the import (absent when a failure hid it) */
    majorRevision?: number;
    /** skipped and refused: why; refused also has `code` */
    reason?: string;
    /** refused: `subject_not_found`, `type_mismatch`, or the error code of what failed (run the import again) */
    code?: string;
    /** imported: items written (0 when the subject's items stayed), state operations added, subscriptions re-created */
    items?: number;
    stateOps?: number;
    subscriptions?: number;
    /** locks restored (those still in force whose names nobody held here) */
    locks?: number;
    /** subscriptions of the export left out: their subscribers no longer exist */
    subscriptionsSkipped?: Array<{ subscriberId: string; reason: string }>;
}

export interface ImportReport {
    imported: number;
    skipped: number;
    refused: number;
    subjects: SubjectImport[];
}

export interface AdminService {
    exportPage(caller: Caller, request: PageRequest): Promise<ExportPage>;
    /** `body`: `{"ndjson": "<the lines of one or more export pages>"}` */
    importLines(caller: Caller, body: unknown): Promise<ImportReport>;
    subjects(caller: Caller, request: PageRequest & { namespace?: Namespace }): Promise<SubjectsPage>;
}

/** Builds the admin service for one engine invocation (src/engine/adminFactory.ts). */
export type AdminFactory<Read = unknown, Persistence = unknown, Logger = unknown> = (read: Read, persistence: Persistence, logger: Logger) => AdminService;

const name = (subject: SubjectRef) => `${subject.namespace}:${subject.id}`;

export function createAdminService(deps: AdminDeps): AdminService {
    async function adminSettings(caller: Caller, what: string): Promise<AppSettingsValues> {
        const settings = await deps.settings();
        if (!isAdmin({ callerRoles: caller.roles ?? [], adminRoles: settings.adminRoles })) {
            throw new MetadataError('forbidden', `Only admins may ${what}.`);
        }
        return settings;
    }

    async function importSubject(caller: Caller, settings: AppSettingsValues, line: ImportLine): Promise<SubjectImport> {
        const ref = line.subject;
        const base = { line: line.line, subject: name(ref) };
        const [exists, current, subscribed] = await Promise.all([deps.existence.exists(ref), deps.store.load(ref), deps.store.subscribersOf(ref)]);
        if (!exists) {
            return { ...base, outcome: 'refused', code: 'subject_not_found', majorRevision: current.set.majorRevision, reason: `no ${ref.namespace} has the id ${ref.id} on this server` };
        }
        const plan = planImport(current, line, subscribed, deps.clock.now());
        if (plan.kind === 'skip') return { ...base, outcome: 'skipped', majorRevision: current.set.majorRevision, reason: plan.reason };
        if (plan.kind === 'refuse') return { ...base, outcome: 'refused', majorRevision: current.set.majorRevision, code: plan.code, reason: plan.reason };

        let majorRevision = current.set.majorRevision;
        let items = 0;
        if (plan.items) {
            const written = await writeItems(caller, settings, line);
            majorRevision = written.after.set.majorRevision;
            if (written.wrote) items = line.items.length;
        }
        const stateOps = await appendOps(ref, plan.ops);
        const { created, skipped } = await restoreSubscriptions(ref, plan.subscriptions);
        const locks = await restoreLocks(ref, plan.locks);
        const report = {
            ...base, majorRevision, items, stateOps, subscriptions: created, locks, ...(skipped.length > 0 ? { subscriptionsSkipped: skipped } : {}),
        };
        if (items === 0 && stateOps === 0 && created === 0 && locks === 0) {
            return { ...report, outcome: 'skipped', reason: `${name(ref)} already holds everything of the export that can be imported` };
        }
        return { ...report, outcome: 'imported' };
    }

    /** The items as one write through the revision log, at majorRevision max(current + 1, the line's). */
    async function writeItems(caller: Caller, settings: AppSettingsValues, line: ImportLine): Promise<{ wrote: boolean; after: SubjectSnapshot }> {
        const { outcome, after } = await deps.store.writeItems(line.subject, (current) => importedItems(current.set, line), {
            actor: caller.id,
            at: new Date(deps.clock.now()).toISOString(),
            retention: settings.historyRetention,
        });
        return { wrote: outcome.wrote, after };
    }

    /** One by one, with their ids: a one-time choice (a key's type, a first-writer-wins value) is decided like any other. */
    async function appendOps(subject: SubjectRef, ops: StateOp[]): Promise<number> {
        for (const op of ops) await deps.store.appendStateOp(subject, () => op);
        return ops.length;
    }

    /** Each as a lock change decided like any (store/revisionLog.ts); none displaces a holder this server has now. */
    async function restoreLocks(subject: SubjectRef, wanted: ExportedLock[]): Promise<number> {
        let restored = 0;
        for (const lock of wanted) {
            const hold = { ...lock, holdId: deps.newId() };
            const { plan } = await deps.store.changeLocks(subject, ({ locks = [] }) => planRestore(locks, hold, deps.clock.now()));
            if (plan) restored += 1;
        }
        return restored;
    }

    async function restoreSubscriptions(subject: SubjectRef, wanted: Array<{ subscriberId: string; roomId: string; createdAt: string }>) {
        const skipped: Array<{ subscriberId: string; reason: string }> = [];
        let created = 0;
        for (const s of wanted) {
            if (!(await deps.existence.exists({ namespace: 'user', id: s.subscriberId }))) {
                skipped.push({ subscriberId: s.subscriberId, reason: 'no such user on this server' });
                continue;
            }
            const subscription: Subscription = { subscriberId: s.subscriberId, subject, roomId: s.roomId, createdAt: s.createdAt };
            await deps.store.putSubscription(subscription);
            created += 1;
        }
        return { created, skipped };
    }

    return {
        async exportPage(caller, request) {
            await adminSettings(caller, 'export the metadata store');
            const limit = batchSize(request.limit, DEFAULT_EXPORT_PAGE, MAX_EXPORT_PAGE);
            const lines: string[] = [];
            const next = await walkIndex(deps.store, deps.shards, { cursor: request.cursor, limit }, async (subjects) => {
                const found = await Promise.all(subjects.map(async (subject) => {
                    const [snapshot, subscriptions] = await Promise.all([deps.store.load(subject), deps.store.subscribersOf(subject)]);
                    return exportLineOf(subject, snapshot, subscriptions, deps.clock.now());
                }));
                for (const line of found) if (line) lines.push(formatExportLine(line));
            });
            return { lines, next };
        },

        async importLines(caller, body) {
            const settings = await adminSettings(caller, 'import metadata');
            // Every line is judged before anything is written.
            const lines = parseImportLines(parseImportBody(body), settings);
            const report: ImportReport = { imported: 0, skipped: 0, refused: 0, subjects: [] };
            for (const line of lines) {
                let outcome: SubjectImport;
                try {
                    outcome = await importSubject(caller, settings, line);
                } catch (error) {
                    deps.log.error(`metadata: import of ${name(line.subject)} (line ${line.line}) failed`, errorText(error));
                    const code = isMetadataError(error) ? error.code : 'internal_error';
                    const why = isMetadataError(error) ? error.message : 'the store failed';
                    outcome = { line: line.line, subject: name(line.subject), outcome: 'refused', code, reason: `${why}; run the import again to finish it` };
                }
                report[outcome.outcome] += 1;
                report.subjects.push(outcome);
            }
            return report;
        },

        async subjects(caller, request) {
            await adminSettings(caller, 'list the subjects of the metadata store');
            const limit = batchSize(request.limit, DEFAULT_SUBJECTS_PAGE, MAX_SUBJECTS_PAGE);
            const subjects: SubjectSummary[] = [];
            const next = await walkIndex(deps.store, deps.shards, { cursor: request.cursor, limit, namespace: request.namespace }, async (batch) => {
                const loaded = await Promise.all(batch.map(async (subject) => ({ subject, snapshot: await deps.store.load(subject) })));
                for (const { subject, snapshot } of loaded) {
                    const { set, stateOps } = snapshot;
                    // The index also lists subscribers and subjects subscribed to; those hold no metadata.
                    if (set.majorRevision === 0 && set.items.length === 0 && stateOps.length === 0) continue;
                    subjects.push({
                        subject: name(subject), namespace: subject.namespace, id: subject.id,
                        majorRevision: set.majorRevision, items: set.items.length, stateKeys: new Set(stateOps.map((op) => op.key)).size,
                    });
                }
            });
            return { subjects, next };
        },
    };
}
