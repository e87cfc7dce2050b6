import { canChangeState, canReadPrivate, canWrite, isAdmin } from '../access/rules';
import { visibleHistoryEntry } from '../access/visibility';
import { historyCompacted } from '../core/history';
import { MetadataError } from '../core/errors';
import { applyMerge, applyRemove, applyRepair, applySet, applyUpdate, WriteContext } from '../core/metadataSet';
import { opsToRepair } from '../core/repair';
import { validateCause } from '../core/limits';
import { foldState } from '../core/state/fold';
import { planStateOp } from '../core/state/plan';
import { Cause, MetadataSet, StateRequest, SubjectRef, SubjectSnapshot, WriteOptions, WriteOutcome } from '../core/types';
import {
    assertHoldsItems, CHOICE_ITEM, CHOICE_KEY, ChoiceDefinition, choiceDefinitionOf, everyChoice, choiceRequest, clickRequest, holdsItems, parseChoiceDefinition,
    summarizeChoice,
} from '../core/choice';
import { JsonObject } from '../core/json';
import { AccessFacts } from '../access/facts';
import { checkLockGuard } from '../core/locks';
import { AppSettingsValues } from '../settings';
import { assertMayChangeState, assertMayRead, assertMayWrite, gatherFacts } from './authorise';
import { buildView } from './buildView';
import { ServiceDeps } from './deps';
import { refOf, ResolvedSubject, resolveSubject } from './resolveSubject';
import { errorText, runEffects } from './runEffects';
import { takeWriteToken } from './writeRate';
import { subscriptionsOf, subscribe, unsubscribe } from './subscriptions';
import { AfterWriteEffect, Caller, ChangeNotice, MetadataService, MetadataView, SubjectTarget } from './types';
import { webhookAdmin, webhooksFollowing } from './webhooks';
import { isSubscribed, stateOffers } from './panel';
import { liveLocks } from '../core/locks';
import { lockOperations } from './locks';
import { Webhook } from '../core/webhooks';
import type { OutboxEntry } from '../store/MetadataStore';

export type { ServiceDeps } from './deps';

/** A caller cleared for a write on a subject, with what was read beside the checks. */
interface Authorised {
    caller: Caller;
    subject: ResolvedSubject;
    settings: AppSettingsValues;
    facts: AccessFacts;
    listed: Promise<Webhook[]>;
    loaded: Promise<SubjectSnapshot>;
}

const DEFAULT_EFFECTS_BUDGET_MS = 500;

export function createMetadataService(deps: ServiceDeps): MetadataService {
    const budget = deps.effectsBudgetMs ?? DEFAULT_EFFECTS_BUDGET_MS;

    /** Settings and the subject side by side: neither needs the other. */
    async function lookUp(caller: Caller, target: SubjectTarget) {
        const [settings, subject] = await Promise.all([deps.settings(), resolveSubject(deps.directory, caller, target)]);
        return { settings, subject };
    }

    /**
     * The subject's data is read beside the access lookups (a read costs nothing if access is then
     * denied, and the answer is not sent before access is checked).
     */
    function loadBeside(subject: ResolvedSubject): Promise<SubjectSnapshot> {
        const loaded = deps.store.load(refOf(subject));
        loaded.catch(() => undefined);
        return loaded;
    }

    async function readableSubject(caller: Caller, target: SubjectTarget) {
        const { settings, subject } = await lookUp(caller, target);
        const facts = await gatherFacts(deps.directory, caller, subject, settings, false);
        assertMayRead(facts, subject);
        return { subject, mayReadPrivate: canReadPrivate(facts) };
    }

    /** Every webhook: read beside a write's lookups, so following them costs no wait of its own. */
    function listWebhooks(): Promise<Webhook[]> {
        const listed = deps.webhooks ? deps.webhooks.list() : Promise.resolve([]);
        listed.catch(() => undefined);
        return listed;
    }

    async function afterWrite(settings: AppSettingsValues, notice: ChangeNotice): Promise<void> {
        let effects: AfterWriteEffect[];
        try {
            effects = deps.effects(settings);
        } catch (error) {
            deps.log.error('metadata: could not set up the after-write effects; the write stands', errorText(error));
            return;
        }
        await runEffects(effects, notice, deps.log, budget);
    }

    /**
     * Authorise, limit, run one item operation through the store, run the effects (bounded by the
     * budget, so events usually go out before the answer), then answer with the caller's view.
     */
    async function writeItems(
        caller: Caller,
        target: SubjectTarget,
        options: WriteOptions,
        apply: (current: MetadataSet, ctx: WriteContext) => WriteOutcome,
    ): Promise<MetadataView> {
        const listed = listWebhooks();
        const { settings, subject } = await lookUp(caller, target);
        assertHoldsItems(subject.info.namespace);
        const loaded = loadBeside(subject);
        const facts = await gatherFacts(deps.directory, caller, subject, settings, true);
        assertMayWrite(facts, subject);
        takeWriteToken(deps, caller, settings);
        return commitItems({ caller, subject, settings, facts, listed, loaded }, options, apply);
    }

    /** An authorised item write: through the store's agreement, then its effects and webhooks. */
    async function commitItems(
        { caller, subject, settings, facts, listed, loaded }: Authorised,
        { cause, lock }: WriteOptions,
        apply: (current: MetadataSet, ctx: WriteContext) => WriteOutcome,
    ): Promise<MetadataView> {
        const checkedCause = validateCause(cause, settings);
        const nowMs = deps.clock.now();
        const ctx: WriteContext = {
            actorId: caller.id,
            at: new Date(nowMs).toISOString(),
            defaultVisibility: settings.defaultVisibility,
            limits: settings,
        };
        const following = await webhooksFollowing(deps, listed, refOf(subject));
        const { webhooks } = deps;
        // Who to tell is read while the write commits.
        const subscribers = deps.store.subscribersOf(refOf(subject));
        subscribers.catch(() => undefined);
        const change = (before: SubjectSnapshot, outcome: WriteOutcome): ChangeNotice => ({
            subject: subject.info,
            actor: caller,
            at: ctx.at,
            majorRevision: outcome.set.majorRevision,
            changed: outcome.changed,
            removed: outcome.removed,
            stateChanged: [],
            set: outcome.set,
            before: before.set,
            state: foldState(before.stateOps),
            subscribers,
            ...causeField(checkedCause),
        });
        let before: SubjectSnapshot | undefined;
        /** the deliveries of this write's newest proposal: the decided one's, once the write answers */
        let proposed: OutboxEntry[] = [];
        const { outcome, after } = await deps.store.writeItems(
            refOf(subject),
            (current) => {
                before = current;
                // Judged on the very state the write builds on (store/revisionLog.ts, POSITIONS): never on an older read.
                if (lock !== undefined) checkLockGuard(current.locks ?? [], lock, caller.id, deps.clock.now());
                return apply(current.set, ctx);
            },
            {
                loaded,
                actor: caller.id,
                at: ctx.at,
                retention: settings.historyRetention,
                ...(webhooks && following.length > 0 ? {
                    outbox: (proposal) => (proposed = webhooks.outbox(following, change(proposal.before, proposal.outcome))),
                } : {}),
            },
        );
        const state = foldState(after.stateOps);
        if (outcome.wrote) {
            await afterWrite(settings, { ...change(before ?? after, outcome), state });
            sendAfter(refOf(subject), following, proposed);
        }
        return buildView(subject.info, after.set, state, canReadPrivate(facts));
    }

    /**
     * Authorise, limit and append one state op, planned by `toRequest` on the very snapshot the op builds on (a click
     * toggles what the caller holds there) and the message's definition there, and held to the message's choices where
     * it has some; then effects and webhooks.
     */
    async function changeState(caller: Caller, target: SubjectTarget, cause: Cause | undefined, toRequest: (current: SubjectSnapshot, definition?: ChoiceDefinition) => StateRequest): Promise<MetadataView> {
        const listed = listWebhooks();
        const { settings, subject } = await lookUp(caller, target);
        const loaded = loadBeside(subject);
        const facts = await gatherFacts(deps.directory, caller, subject, settings, false);
        assertMayChangeState(facts, subject);
        takeWriteToken(deps, caller, settings);
        const checkedCause = validateCause(cause, settings);
        const nowMs = deps.clock.now();
        const subscribers = deps.store.subscribersOf(refOf(subject));
        subscribers.catch(() => undefined);
        const { op, after } = await deps.store.appendStateOp(
            refOf(subject),
            (current) => {
                const definition = choiceDefinitionOf(subject.info.namespace, current.set);
                const request = choiceRequest(definition, toRequest(current, definition));
                return planStateOp(current.stateOps, request, { userId: caller.id, now: nowMs, newId: deps.newId, limits: settings });
            },
            loaded,
        );
        const { set } = after;
        const state = foldState(after.stateOps);
        const notice: ChangeNotice = {
            subject: subject.info,
            actor: caller,
            at: new Date(nowMs).toISOString(),
            majorRevision: set.majorRevision,
            changed: [],
            removed: [],
            stateChanged: [op.key],
            set,
            before: set,
            state,
            subscribers,
            ...causeField(checkedCause),
        };
        // A state change's deliveries are recorded before the answer: acknowledged means on its way.
        const following = await webhooksFollowing(deps, listed, refOf(subject));
        const entries = deps.webhooks && following.length > 0 ? deps.webhooks.outbox(following, notice) : [];
        if (entries.length > 0) await deps.webhooks?.add(entries.map((entry) => ({ ...entry, subject: refOf(subject), createdAt: nowMs })));
        await afterWrite(settings, notice);
        sendAfter(refOf(subject), following, entries);
        return buildView(subject.info, set, state, canReadPrivate(facts));
    }

    /** Sends a change's deliveries after the answer (the write is decided: its deliveries need no check). */
    function sendAfter(subject: SubjectRef, following: Webhook[], entries: OutboxEntry[]): void {
        if (deps.webhooks && entries.length > 0) deps.webhooks.send(subject, following, entries);
    }

    return {
        async get(caller, target, keys) {
            const { settings, subject } = await lookUp(caller, target);
            const loaded = loadBeside(subject);
            const facts = await gatherFacts(deps.directory, caller, subject, settings, false);
            assertMayRead(facts, subject);
            const { set, stateOps } = await loaded;
            return buildView(subject.info, set, foldState(stateOps), canReadPrivate(facts), keys);
        },

        set: (caller, target, request) => writeItems(caller, target, request, (set, ctx) => applySet(set, request, ctx)),
        update: (caller, target, request) => writeItems(caller, target, request, (set, ctx) => applyUpdate(set, request, ctx)),
        remove: (caller, target, request) => writeItems(caller, target, request, (set, ctx) => applyRemove(set, request, ctx)),
        merge: (caller, target, request) => writeItems(caller, target, request, (set, ctx) => applyMerge(set, request, ctx)),

        state: (caller, target, request) => changeState(caller, target, request.cause, () => request),

        /**
         * SPEC §19: posts the bot's message with one button per choice in a room, then writes its definition as the
         * message subject's item. Members post choices as they click them (the room's state rule).
         */
        async choose(caller, target, body) {
            const definition = parseChoiceDefinition(body);
            const listed = listWebhooks();
            const { settings, subject: room } = await lookUp(caller, target);
            if (room.info.namespace !== 'room') throw new MetadataError('invalid_request', 'choices are posted in a room: name one');
            const facts = await gatherFacts(deps.directory, caller, room, settings, false);
            assertMayChangeState(facts, room);
            takeWriteToken(deps, caller, settings);
            if (!deps.choiceMessages) throw new MetadataError('operation_not_allowed', 'this server cannot post messages with choices');
            const messages = deps.choiceMessages;
            const messageId = await messages.post(room.info.id, summarizeChoice(definition, {}));
            const subject: ResolvedSubject = { info: { namespace: 'message', id: messageId, name: room.info.name, roomId: room.info.id }, room: room.room };
            const loaded = loadBeside(subject);
            const item = { key: CHOICE_ITEM, value: definition as unknown as JsonObject, revision: 0, visibility: 'public' as const };
            try {
                return await commitItems({ caller, subject, settings, facts, listed, loaded }, {}, (set, ctx) => applySet(set, { items: [item] }, ctx));
            } catch (error) {
                // Buttons that lead nowhere must not stay behind.
                await messages.withdraw(messageId).catch((problem: unknown) => deps.log.error('metadata: could not withdraw a choice message', messageId, errorText(problem)));
                throw error;
            }
        },

        /** A click on a choice: the type's one-click rule on what the caller holds at the position the op builds on. */
        pick: (caller, target, choice) => changeState(caller, target, undefined, (current, definition): StateRequest => {
            if (!definition) throw new MetadataError('operation_not_allowed', 'there are no choices to pick from here: only a message posted with choices has them');
            return clickRequest(definition, foldState(current.stateOps), caller.id, choice);
        }),

        async history(caller, target, query) {
            const { settings, subject } = await lookUp(caller, target);
            const facts = await gatherFacts(deps.directory, caller, subject, settings, false);
            assertMayRead(facts, subject);
            const page = await deps.store.history(refOf(subject), query.since, query.limit, settings.historyRetention, deps.clock.now());
            if (page.oldestKept !== undefined) throw historyCompacted(query.since === 'latest' ? 0 : query.since, page.oldestKept);
            const mayReadPrivate = canReadPrivate(facts);
            return {
                subject: subject.info,
                majorRevision: page.majorRevision,
                entries: page.entries.map((entry) => visibleHistoryEntry(entry, mayReadPrivate)),
            };
        },

        async repair(caller, target, request) {
            const { settings, subject } = await lookUp(caller, target);
            const facts = await gatherFacts(deps.directory, caller, subject, settings, false);
            if (!isAdmin(facts)) throw new MetadataError('forbidden', 'Only admins may repair metadata.');
            const ref = refOf(subject);
            const nowMs = deps.clock.now();
            const ctx: WriteContext = { actorId: caller.id, at: new Date(nowMs).toISOString(), defaultVisibility: settings.defaultVisibility, limits: settings };
            let before: MetadataSet | undefined;
            const items = request.items === undefined
                ? undefined
                : await deps.store.writeItems(ref, (current) => {
                    before = current.set;
                    return applyRepair(current.set, request.items ?? [], ctx);
                }, { actor: caller.id, at: ctx.at, retention: settings.historyRetention });
            const state = request.state === undefined ? undefined : await deps.store.removeStateOps(ref, (ops) => opsToRepair(ops, request.state));
            const after = state?.after ?? items?.after ?? (await deps.store.load(ref));
            const removedItems = items?.outcome.removed ?? [];
            const stateKeys = [...new Set((state?.removed ?? []).map((op) => op.key))].sort();
            if (removedItems.length > 0 || stateKeys.length > 0) {
                await afterWrite(settings, {
                    subject: subject.info,
                    actor: caller,
                    at: ctx.at,
                    majorRevision: after.set.majorRevision,
                    changed: [],
                    removed: removedItems,
                    stateChanged: stateKeys,
                    set: after.set,
                    before: before ?? after.set,
                    state: foldState(after.stateOps),
                });
            }
            return {
                subject: subject.info,
                majorRevision: after.set.majorRevision,
                removed: { items: removedItems, stateKeys, stateOps: state?.removed.length ?? 0 },
            };
        },

        async subscribe(caller, target, roomId) {
            const { subject, mayReadPrivate } = await readableSubject(caller, target);
            return subscribe(deps, caller, subject, mayReadPrivate, roomId);
        },

        async unsubscribe(caller, target) {
            return unsubscribe(deps, caller, target);
        },

        async subscriptions(caller) {
            return subscriptionsOf(deps, caller);
        },

        async panel(caller, target) {
            const { settings, subject } = await lookUp(caller, target);
            const loaded = loadBeside(subject);
            const subscriptions = deps.store.subscriptionsOf(caller.id);
            subscriptions.catch(() => undefined);
            // room roles too: the panel offers writes only to those the write rule lets through
            const facts = await gatherFacts(deps.directory, caller, subject, settings, true);
            assertMayRead(facts, subject);
            const { set, stateOps, locks = [] } = await loaded;
            // a message with choices offers every choice, held or not
            const definition = choiceDefinitionOf(subject.info.namespace, set);
            const state = definition ? everyChoice(definition, foldState(stateOps)) : foldState(stateOps);
            const mayChangeState = canChangeState(facts);
            return {
                view: buildView(subject.info, set, state, canReadPrivate(facts)),
                may: { write: canWrite(facts) && holdsItems(subject.info.namespace), changeState: mayChangeState },
                subscribed: isSubscribed(await subscriptions, refOf(subject)),
                stateOffers: stateOffers(state, caller.id, mayChangeState, definition ? [CHOICE_KEY] : []),
                locks: liveLocks(locks, deps.clock.now()).map(({ name, holder, expiresAt }) => ({ name, holder, expiresAt })),
            };
        },

        ...webhookAdmin(deps),
        ...lockOperations(deps),
    };
}

// An absent cause must stay absent: an own `cause: undefined` would still show up as a key.
function causeField(cause: Cause | undefined): { cause?: Cause } {
    return cause === undefined ? {} : { cause };
}
