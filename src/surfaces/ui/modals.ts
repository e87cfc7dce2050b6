import { IUIKitModalViewParam } from '@rocket.chat/apps-engine/definition/uikit/UIKitInteractionResponder';
import { JsonValue } from '../../core/json';
import { Item } from '../../core/types';
import { Translate } from '../../i18n/catalog';
import { Block, button, context, plain, section, select, textInput } from './blocks';
import { INPUT, ModalContext, modalViewId, STATE_TYPE_CHOICES } from './ids';
import { inlineValue } from './valueText';

export type ValueFormat = 'text' | 'json';

/** What the person typed, kept when the modal is shown again (a conflict, an error). */
export interface Draft {
    key?: string;
    value?: string;
    format?: ValueFormat;
    visibility?: string;
    type?: string;
}

export interface ModalInput {
    appId: string;
    context: ModalContext;
    tr: Translate;
    /** the item as it stands (edit, remove) */
    item?: Item;
    draft?: Draft;
    /** shown on top: a conflict, or what failed */
    notice?: string;
    /**
     * An update keeps the id of the open modal (a client routes a `modal.update` to the open view of that id, and
     * drops one under another id); what changed travels in a block instead: the revision the next submit compares
     * against, after a conflict (0: create-only).
     */
    update?: { viewId: string; revision?: number };
    /** `#team`, `@alice` */
    subjectLabel: string;
}

/** A value as it is edited: text as it is, anything else as JSON. */
export function editableValue(value: JsonValue): { value: string; format: ValueFormat } {
    return typeof value === 'string' ? { value, format: 'text' } : { value: JSON.stringify(value, null, 2), format: 'json' };
}

/** `default` leaves the visibility out of the write: the item keeps its own, a new one gets the app's default. */
const VISIBILITY_DEFAULT = 'default';

export function modal(input: ModalInput): IUIKitModalViewParam {
    switch (input.context.kind) {
        case 'remove':
            return removeModal(input);
        case 'state':
            return stateModal(input);
        default:
            return itemModal(input);
    }
}

function frame(input: ModalInput, title: string, blocks: Block[], submit: string, danger = false): IUIKitModalViewParam {
    const { tr, context: ctx } = input;
    return {
        id: input.update?.viewId ?? modalViewId(ctx),
        title: plain(title),
        blocks: [...(input.notice ? [noticeBlock(input.notice, input.update?.revision)] : []), ...blocks],
        submit: button(`${ctx.kind}-submit`, submit, '', danger ? 'danger' : 'primary'),
        close: button(`${ctx.kind}-close`, tr('Meta_Modal_Cancel'), ''),
    };
}

const CAS_BLOCK = /^cas:(\d+)$/;

/** The notice on top; after a conflict its block id carries the revision the next submit compares against. */
function noticeBlock(notice: string, revision: number | undefined): Block {
    return { ...section(notice), ...(revision !== undefined ? { blockId: `cas:${revision}` } : {}) };
}

/** The revision a submitted modal compares against when a conflict set one (see ModalInput.update). */
export function casRevisionOf(blocks: unknown): number | undefined {
    if (!Array.isArray(blocks)) return undefined;
    for (const block of blocks) {
        const match = CAS_BLOCK.exec(String(own(block, 'blockId') ?? ''));
        if (match) return Number(match[1]);
    }
    return undefined;
}

function formatChoices(tr: Translate) {
    return [
        { value: 'text', text: tr('Meta_Modal_Format_Text') },
        { value: 'json', text: tr('Meta_Modal_Format_Json') },
    ];
}

function itemModal(input: ModalInput): IUIKitModalViewParam {
    const { appId, tr, item, draft, context: ctx } = input;
    const editing = ctx.kind === 'edit';
    const current = item ? editableValue(item.value) : { value: '', format: 'text' as ValueFormat };
    const blocks: Block[] = [];
    if (editing && item) blocks.push(context(tr('Meta_Modal_Current', { value: inlineValue(item.value), revision: item.revision })));
    // the key is asked for only when the modal does not name one (an add; not an item removed while it was edited)
    if (!ctx.key) blocks.push(textInput(appId, INPUT.key, tr('Meta_Modal_Key'), { initial: draft?.key ?? '', placeholder: tr('Meta_Modal_Key_Placeholder') }));
    else if (!editing) blocks.push(section(`*${ctx.key}*`));
    blocks.push(
        textInput(appId, INPUT.value, tr('Meta_Modal_Value'), { initial: draft?.value ?? current.value, placeholder: tr('Meta_Modal_Value_Placeholder'), multiline: true }),
        select(appId, INPUT.format, tr('Meta_Modal_Format'), formatChoices(tr), draft?.format ?? current.format),
        select(appId, INPUT.visibility, tr('Meta_Modal_Visibility'), [
            ...(editing ? [] : [{ value: VISIBILITY_DEFAULT, text: '—' }]),
            { value: 'public', text: tr('Meta_Panel_Public') },
            { value: 'private', text: tr('Meta_Panel_Private') },
        ], draft?.visibility ?? item?.visibility ?? VISIBILITY_DEFAULT),
    );
    const title = ctx.key ? tr('Meta_Modal_Edit_Title', { key: ctx.key }) : tr('Meta_Modal_Add_Title');
    return frame(input, title, blocks, tr('Meta_Modal_Save'));
}

function removeModal(input: ModalInput): IUIKitModalViewParam {
    const { tr, item, context: ctx } = input;
    const key = ctx.key ?? '';
    const blocks: Block[] = item
        ? [section(tr('Meta_Modal_Remove_Text', { key, subject: input.subjectLabel, value: inlineValue(item.value), revision: item.revision }))]
        : [];
    return frame(input, tr('Meta_Modal_Remove_Title', { key }), blocks, tr('Meta_Modal_Confirm_Remove'), true);
}

function stateModal(input: ModalInput): IUIKitModalViewParam {
    const { appId, tr, draft, context: ctx } = input;
    const blocks: Block[] = [];
    if (ctx.key) blocks.push(section(`*${ctx.key}*`));
    else blocks.push(textInput(appId, INPUT.key, tr('Meta_Modal_Key'), { initial: draft?.key ?? '', placeholder: tr('Meta_Modal_Key_Placeholder') }));
    blocks.push(
        textInput(appId, INPUT.value, tr('Meta_Modal_Value'), { initial: draft?.value ?? '', placeholder: tr('Meta_Modal_Value_Placeholder') }),
        select(appId, INPUT.format, tr('Meta_Modal_Format'), formatChoices(tr), draft?.format ?? 'text'),
    );
    if (!ctx.key) {
        blocks.push(select(appId, INPUT.type, tr('Meta_Modal_State_Type'), STATE_TYPE_CHOICES.map((type) => ({
            value: type,
            text: tr(`Meta_Modal_State_Type_${type}`),
        })), draft?.type ?? 'set'));
    }
    return frame(input, tr('Meta_Modal_State_Title'), blocks, tr('Meta_Modal_Save'));
}

function own(record: unknown, key: string): unknown {
    return record !== null && typeof record === 'object' && Object.prototype.hasOwnProperty.call(record, key) ? (record as Record<string, unknown>)[key] : undefined;
}

/**
 * What a submitted view holds, as strings: `{[blockId]: {[actionId]: value}}` of its state, and for an input the
 * client left out of the state (one nobody touched), the initial value its block was shown with.
 */
export function draftOf(state: unknown, blocks?: unknown): Draft {
    const initial = (id: string): unknown => {
        const block = Array.isArray(blocks) ? blocks.find((b) => own(b, 'blockId') === id) : undefined;
        return own(own(block, 'element'), 'initialValue');
    };
    const field = (id: string): string | undefined => {
        const value = own(own(state, id), id) ?? initial(id);
        return typeof value === 'string' ? value : undefined;
    };
    const format = field(INPUT.format);
    return {
        key: field(INPUT.key),
        value: field(INPUT.value),
        format: format === 'json' ? 'json' : format === 'text' ? 'text' : undefined,
        visibility: field(INPUT.visibility),
        type: field(INPUT.type),
    };
}

export function visibilityOf(draft: Draft): 'public' | 'private' | undefined {
    return draft.visibility === 'public' || draft.visibility === 'private' ? draft.visibility : undefined;
}
