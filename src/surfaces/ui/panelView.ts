import { IUIKitContextualBarViewParam } from '@rocket.chat/apps-engine/definition/uikit/UIKitInteractionResponder';
import { IBlockElement } from '@rocket.chat/apps-engine/definition/uikit/blocks/Elements';
import { Item, StateKeyView } from '../../core/types';
import { Translate } from '../../i18n/catalog';
import { PanelView } from '../../service/types';
import { actions, Block, button, context, divider, plain, section } from './blocks';
import { ACTION, itemValue, PanelContext, panelViewId, stateOpValue } from './ids';
import { shortValue, typeName, valueMarkdown, when, who } from './valueText';

/** The most items and state values the bar lists; the rest is named by count (`/meta get` shows everything). */
export const MAX_ITEMS = 50;
export const MAX_STATE_VALUES = 20;
/** The most users named per state value (each name costs a lookup); the rest are counted. */
export const MAX_NAMED_USERS = 10;

/** A lock as the bar lists it (SPEC §16): the service's live locks of the subject (PanelView.locks). */
export interface LockLine {
    name: string;
    holder: string;
    expiresAt: string;
}

export interface PanelInput {
    appId: string;
    panel: PanelView;
    context: PanelContext;
    callerId: string;
    tr: Translate;
    /** usernames by user id, for who changed an item and who holds a state value */
    names: ReadonlyMap<string, string>;
    /** `#team`, `@alice` */
    subjectLabel: string;
    /** shown on top: what just failed */
    notice?: string;
    locks?: readonly LockLine[];
}

/**
 * The contextual bar of one subject (SPEC §17): what the caller may read, and a button for each thing the service
 * said they may do (PanelView.may, stateOffers) — nothing else. No rule is decided here.
 */
export function panelBar(input: PanelInput): IUIKitContextualBarViewParam {
    const { panel, tr } = input;
    const blocks: Block[] = [];
    if (input.notice) blocks.push(section(tr('Meta_Panel_Error', { reason: input.notice })));
    blocks.push(section(tr('Meta_Panel_Heading', { subject: input.subjectLabel, major: panel.view.majorRevision })));
    if (!panel.may.write) blocks.push(context(tr('Meta_Panel_Read_Only')));
    if (panel.subscribed) blocks.push(context(tr('Meta_Panel_Subscribed')));
    blocks.push(toolbar(input));
    blocks.push(divider(), ...itemBlocks(input));
    const stateKeys = Object.keys(panel.view.state).sort();
    if (stateKeys.length > 0) {
        blocks.push(divider(), section(tr('Meta_Panel_State', { count: stateKeys.length })));
        stateKeys.forEach((key, index) => blocks.push(...stateBlocks(input, key, panel.view.state[key], index)));
    }
    blocks.push(...lockBlocks(input));
    return { id: panelViewId(input.context), title: plain(tr('Meta_Panel_Title')), blocks };
}

function toolbar({ appId, panel, context: ctx, tr }: PanelInput): Block {
    const elements: IBlockElement[] = [];
    if (panel.may.write) elements.push(button(ACTION.addItem, tr('Meta_Panel_Add_Item'), itemValue(ctx), 'primary'));
    if (panel.may.changeState) elements.push(button(ACTION.addStateValue, tr('Meta_Panel_Add_State_Key'), itemValue(ctx)));
    elements.push(panel.subscribed
        ? button(ACTION.unsubscribe, tr('Meta_Panel_Unsubscribe'), itemValue(ctx))
        : button(ACTION.subscribe, tr('Meta_Panel_Subscribe'), itemValue(ctx)));
    elements.push(button(ACTION.refresh, tr('Meta_Panel_Refresh'), itemValue(ctx)));
    return actions(appId, 'toolbar', elements);
}

function itemBlocks(input: PanelInput): Block[] {
    const { panel, tr } = input;
    const items = panel.view.items;
    const blocks: Block[] = [section(tr('Meta_Panel_Items', { count: items.length }))];
    if (items.length === 0) blocks.push(context(tr('Meta_Panel_No_Items')));
    items.slice(0, MAX_ITEMS).forEach((item, index) => blocks.push(...oneItem(input, item, index)));
    if (items.length > MAX_ITEMS) blocks.push(context(tr('Meta_Panel_More_Items', { count: items.length - MAX_ITEMS })));
    return blocks;
}

function oneItem({ appId, panel, context: ctx, tr, names }: PanelInput, item: Item, index: number): Block[] {
    const blocks: Block[] = [
        section(`*${item.key}*\n${valueMarkdown(item.value)}`),
        context(tr('Meta_Panel_Item_Details', {
            type: typeName(item.value, tr),
            visibility: tr(item.visibility === 'public' ? 'Meta_Panel_Public' : 'Meta_Panel_Private'),
            revision: item.revision,
            who: who(item.updatedBy, names),
            when: when(item.updatedAt),
        })),
    ];
    if (panel.may.write) {
        blocks.push(actions(appId, `item:${index}`, [
            button(ACTION.edit, tr('Meta_Panel_Edit'), itemValue(ctx, item.key, item.revision)),
            button(ACTION.remove, tr('Meta_Panel_Remove'), itemValue(ctx, item.key, item.revision), 'danger'),
        ]));
    }
    return blocks;
}

function stateBlocks({ appId, panel, context: ctx, callerId, tr, names }: PanelInput, key: string, entry: StateKeyView, index: number): Block[] {
    // values nobody holds (a message's choices not picked yet) get a button, not a line
    const held = entry.summary.slice(0, MAX_STATE_VALUES).filter((value) => value.count > 0);
    const summary = held.length === 0
        ? tr('Meta_Panel_State_Nobody')
        : held.map((value) => tr('Meta_Panel_State_Value', {
            value: shortValue(value.value),
            count: value.count,
            users: [
                ...value.users.slice(0, MAX_NAMED_USERS).map((id) => who(id, names)),
                ...(value.users.length > MAX_NAMED_USERS ? [tr('Meta_More', { count: value.users.length - MAX_NAMED_USERS })] : []),
            ].join(', '),
        })).join(' · ');
    const blocks: Block[] = [section(tr('Meta_Panel_State_Key', { key, type: entry.type, summary }))];
    const own = Object.prototype.hasOwnProperty.call(entry.byUser, callerId) ? entry.byUser[callerId] : undefined;
    blocks.push(context(own === undefined ? tr('Meta_Panel_State_Yours_None') : tr('Meta_Panel_State_Yours', { value: shortValue(own, 120) })));
    const offers = panel.stateOffers[key];
    if (!offers) return blocks;
    const elements: IBlockElement[] = [];
    entry.summary.slice(0, MAX_STATE_VALUES).forEach((value, n) => {
        const op = offers.values[n];
        if (!op) return;
        const label = tr(op === 'add' ? 'Meta_Panel_Vote_Add' : 'Meta_Panel_Vote_Remove', { value: shortValue(value.value, 30) });
        // a button per value: the action ids differ (`#n`) so that clients keep them apart within the block
        elements.push(button(`${ACTION.stateOp}#${n}`, label, stateOpValue({ ...ctx, key, op, value: value.value }), op === 'remove' ? 'primary' : undefined));
    });
    if (offers.newValue) elements.push(button(ACTION.addStateValue, tr('Meta_Panel_Add_State_Value'), itemValue(ctx, key)));
    if (elements.length > 0) blocks.push(actions(appId, `state:${index}`, elements));
    return blocks;
}

/** SPEC §16's locks, listed once the subject holds any. The place for them is here; the lock rules are not. */
function lockBlocks({ locks, tr, names }: PanelInput): Block[] {
    if (!locks || locks.length === 0) return [];
    return [
        divider(),
        section(tr('Meta_Panel_Locks', { count: locks.length })),
        ...locks.map((lock) => context(tr('Meta_Panel_Lock', { name: lock.name, holder: who(lock.holder, names), expiresAt: when(lock.expiresAt) }))),
    ];
}
