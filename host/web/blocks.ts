// Renders UiKit blocks to DOM, on @rocket.chat/ui-kit's own renderer: SurfaceRenderer walks the blocks (conditional
// blocks resolved, only the surface's allowed layout blocks kept) and calls one method per block, element and text
// type, as fuselage-ui-kit's React renderers do. Element behaviour follows Rocket.Chat's client (useUiKitState): every
// element keeps its value in the view's state ({[actionId]: {blockId, value}}); inside an input block a change only
// updates the state (unless the element's dispatchActionConfig asks for a block action), elsewhere it also sends a
// blockAction with the element's appId, blockId, actionId and value.
import {
    BlockContext,
    SurfaceRenderer,
    type ActionsBlock,
    type BlockElement,
    type ButtonElement,
    type CalloutBlock,
    type CheckboxElement,
    type ConfirmationDialog,
    type ContextBlock,
    type DatePickerElement,
    type DividerBlock,
    type ImageBlock,
    type ImageElement,
    type InputBlock,
    type LinearScaleElement,
    type Markdown,
    type MultiStaticSelectElement,
    type Option,
    type OverflowElement,
    type PlainText,
    type PlainTextInputElement,
    type RadioButtonElement,
    type SectionBlock,
    type StaticSelectElement,
    type TextObject,
    type TimePickerElement,
    type ToggleSwitchElement,
} from '@rocket.chat/ui-kit';

import { markup } from './markup';

/** The layout blocks each surface allows: the lists of ui-kit's UiKitParserModal, UiKitParserContextualBar and UiKitParserMessage. */
export const SURFACE_BLOCKS = {
    modal: ['actions', 'context', 'divider', 'image', 'input', 'section', 'callout'],
    contextualBar: ['actions', 'context', 'divider', 'image', 'input', 'section'],
    message: ['actions', 'context', 'divider', 'image', 'section', 'preview', 'video_conf', 'callout'],
} as const;

export type SurfaceKind = keyof typeof SURFACE_BLOCKS;

/** A view's state as Rocket.Chat's client keeps it: per actionId, the value and the block it belongs to. */
export type Values = Map<string, { blockId: string; value: unknown }>;

/** The state the app gets on viewSubmit / viewClosed: {[blockId]: {[actionId]: value}}. */
export function stateOf(values: Values): Record<string, Record<string, unknown>> {
    const state: Record<string, Record<string, unknown>> = {};
    for (const [actionId, { blockId, value }] of values) {
        (state[blockId] ??= {})[actionId] = value;
    }
    return state;
}

export interface BlockActionRequest {
    appId: string;
    actionId: string;
    blockId: string;
    value: unknown;
}

/** What a rendered surface needs from the client around it. */
export interface SurfaceHooks {
    /** the surface's app (elements without their own appId belong to it) */
    appId: string;
    values: Values;
    /** field errors reported by the app (`errors` interaction), by actionId or blockId */
    errors: Record<string, string>;
    /** the text of a text object, translated with the app's languages when it carries an i18n key */
    text(obj: TextObject | undefined, appId: string): string;
    /** sends a blockAction */
    action(request: BlockActionRequest): Promise<void>;
    /** asks for a confirmation dialog's answer */
    confirm(dialog: ConfirmationDialog, appId: string): Promise<boolean>;
}

type Element = BlockElement & { appId?: string; blockId?: string; actionId?: string; dispatchActionConfig?: string[]; confirm?: ConfirmationDialog };

/** Opens an element's link in a new tab: http(s) only (never a javascript: URL). */
function openLink(url: string | undefined): void {
    if (url && /^https?:\/\//i.test(url)) window.open(url, '_blank', 'noopener');
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | undefined> = {}, ...children: Array<Node | string | null | undefined>): HTMLElementTagNameMap[K] {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
        if (v !== undefined) node.setAttribute(k, v);
    }
    for (const child of children) {
        if (child !== null && child !== undefined) node.append(child);
    }
    return node;
}

export class DomRenderer extends SurfaceRenderer<HTMLElement> {
    /** the layout block being rendered: its blockId and appId go to the elements it holds */
    private currentBlock: { blockId: string; appId: string } = { blockId: 'default', appId: '' };

    constructor(
        kind: SurfaceKind,
        private readonly hooks: SurfaceHooks,
    ) {
        super([...SURFACE_BLOCKS[kind]] as never);
    }

    /** Renders blocks into a container element. */
    renderBlocks(blocks: readonly unknown[]): HTMLElement {
        const root = el('div', { class: 'uikit-blocks' });
        root.append(...this.render(blocks as never, { engine: 'rocket.chat' }));
        return root;
    }

    // --- text ----------------------------------------------------------------------------------------------

    plain_text(textObject: PlainText, context: BlockContext): HTMLElement | null {
        const text = this.hooks.text(textObject, this.currentBlock.appId || this.hooks.appId);
        return el(context === BlockContext.CONTEXT ? 'span' : 'span', { class: 'uikit-text plain' }, text);
    }

    mrkdwn(textObject: Markdown): HTMLElement | null {
        const text = this.hooks.text(textObject, this.currentBlock.appId || this.hooks.appId);
        const span = el('span', { class: 'uikit-text mrkdwn' });
        span.append(textObject.verbatim ? document.createTextNode(text) : markup(text));
        return span;
    }

    // --- layout blocks --------------------------------------------------------------------------------------

    private enter(block: { blockId?: string; appId?: string }): void {
        this.currentBlock = { blockId: block.blockId ?? 'default', appId: block.appId ?? this.hooks.appId };
    }

    private withBlock(element: Element): Element {
        return { ...element, blockId: element.blockId ?? this.currentBlock.blockId, appId: element.appId ?? this.currentBlock.appId } as Element;
    }

    section(block: SectionBlock): HTMLElement {
        this.enter(block);
        const node = el('div', { class: 'uikit-block section', 'data-block-id': block.blockId });
        const body = el('div', { class: 'section-body' });
        if (block.text) body.append(this.renderTextObject(block.text, 0, BlockContext.SECTION) ?? '');
        if (block.fields?.length) {
            body.append(el('div', { class: 'section-fields' }, ...block.fields.map((f, i) => el('div', { class: 'field' }, this.renderTextObject(f, i, BlockContext.SECTION)))));
        }
        node.append(body);
        if (block.accessory) {
            node.append(el('div', { class: 'section-accessory' }, this.renderSectionAccessoryBlockElement(this.withBlock(block.accessory as Element), 0)));
        }
        return node;
    }

    context(block: ContextBlock): HTMLElement {
        this.enter(block);
        return el(
            'div',
            { class: 'uikit-block context', 'data-block-id': block.blockId },
            ...block.elements.map((e, i) => this.renderContextBlockElement(e as TextObject | BlockElement, i)),
        );
    }

    divider(_block: DividerBlock): HTMLElement {
        return el('hr', { class: 'uikit-block divider' });
    }

    image(block: ImageBlock | ImageElement, context: BlockContext): HTMLElement {
        if (context !== BlockContext.BLOCK) {
            const e = block as ImageElement;
            return el('img', { class: 'uikit-image-element', src: e.imageUrl, alt: e.altText });
        }
        const b = block as ImageBlock;
        this.enter(b);
        return el('figure', { class: 'uikit-block image' }, b.title ? el('figcaption', {}, this.renderTextObject(b.title, 0)) : null, el('img', { src: b.imageUrl, alt: b.altText }));
    }

    actions(block: ActionsBlock): HTMLElement {
        this.enter(block);
        return el(
            'div',
            { class: 'uikit-block actions', 'data-block-id': block.blockId },
            ...block.elements.map((e, i) => this.renderActionsBlockElement(this.withBlock(e as Element), i)),
        );
    }

    input(block: InputBlock): HTMLElement {
        this.enter(block);
        const element = this.withBlock(block.element as Element);
        const error = this.hooks.errors[element.actionId ?? ''] ?? this.hooks.errors[block.blockId ?? ''];
        const id = `uikit-${element.blockId}-${element.actionId}`;
        return el(
            'div',
            { class: `uikit-block input${error ? ' has-error' : ''}`, 'data-block-id': block.blockId },
            el('label', { class: 'input-label', for: id }, this.hooks.text(block.label, element.appId ?? this.hooks.appId), block.optional ? el('span', { class: 'optional' }, ' (optional)') : null),
            this.renderInputBlockElement({ ...element, __inputId: id } as unknown as Element, 0),
            block.hint ? el('div', { class: 'input-hint' }, this.hooks.text(block.hint, element.appId ?? this.hooks.appId)) : null,
            error ? el('div', { class: 'input-error', role: 'alert' }, error) : null,
        );
    }

    callout(block: CalloutBlock): HTMLElement {
        this.enter(block);
        return el(
            'div',
            { class: `uikit-block callout ${block.variant ?? 'info'}`, role: 'note' },
            block.title ? el('div', { class: 'callout-title' }, this.renderTextObject(block.title, 0)) : null,
            el('div', { class: 'callout-text' }, this.renderTextObject(block.text, 0)),
            block.accessory ? this.renderSectionAccessoryBlockElement(this.withBlock(block.accessory as Element), 0) : null,
        );
    }

    // --- elements -------------------------------------------------------------------------------------------

    /** Stores a value in the view state and, outside input blocks (or when asked to), sends a blockAction. */
    private async changed(element: Element, context: BlockContext, value: unknown, trigger: 'on_item_selected' | 'on_character_entered' | 'on_enter_pressed' | 'click'): Promise<void> {
        const blockId = element.blockId ?? 'default';
        const actionId = element.actionId ?? '';
        this.hooks.values.set(actionId, { blockId, value });
        if (context === BlockContext.FORM) {
            const dispatch = element.dispatchActionConfig ?? [];
            if (!dispatch.includes(trigger)) return;
        }
        if (element.confirm && !(await this.hooks.confirm(element.confirm, element.appId ?? this.hooks.appId))) return;
        await this.hooks.action({ appId: element.appId ?? this.hooks.appId, actionId, blockId, value });
    }

    private initial(element: Element, value: unknown): unknown {
        const actionId = element.actionId ?? '';
        const current = this.hooks.values.get(actionId);
        if (current) return current.value;
        if (value !== undefined) this.hooks.values.set(actionId, { blockId: element.blockId ?? 'default', value });
        return value;
    }

    private optionText(option: Option, appId: string): string {
        return this.hooks.text(option.text, appId);
    }

    button(element: ButtonElement, context: BlockContext): HTMLElement {
        const e = element as Element & ButtonElement;
        const appId = e.appId ?? this.hooks.appId;
        const style = e.style ?? (e.secondary ? 'secondary' : 'default');
        const button = el('button', { type: 'button', class: `uikit-button ${style}`, 'data-action-id': e.actionId, 'data-block-id': e.blockId, 'data-value': e.value }, this.hooks.text(e.text, appId));
        button.addEventListener('click', async () => {
            openLink(e.url);
            button.disabled = true;
            try {
                await this.changed(e, context === BlockContext.FORM ? BlockContext.ACTION : context, e.value, 'click');
            } finally {
                button.disabled = false;
            }
        });
        return button;
    }

    overflow(element: OverflowElement, context: BlockContext): HTMLElement {
        const e = element as Element & OverflowElement;
        const appId = e.appId ?? this.hooks.appId;
        const wrap = el('div', { class: 'uikit-overflow', 'data-action-id': e.actionId });
        const toggle = el('button', { type: 'button', class: 'uikit-button overflow-toggle', 'aria-haspopup': 'menu', title: 'More' }, '⋯');
        const menu = el('div', { class: 'overflow-menu', role: 'menu', hidden: '' });
        for (const option of e.options) {
            const item = el('button', { type: 'button', role: 'menuitem', 'data-value': option.value }, this.optionText(option, appId));
            item.addEventListener('click', async () => {
                menu.hidden = true;
                openLink(option.url);
                await this.changed(e, context, option.value, 'click');
            });
            menu.append(item);
        }
        toggle.addEventListener('click', () => {
            menu.hidden = !menu.hidden;
        });
        wrap.append(toggle, menu);
        return wrap;
    }

    static_select(element: StaticSelectElement, context: BlockContext): HTMLElement {
        const e = element as Element & StaticSelectElement & { __inputId?: string };
        const appId = e.appId ?? this.hooks.appId;
        const initial = this.initial(e, e.initialValue ?? e.initialOption?.value);
        const select = el('select', { class: 'uikit-select', id: e.__inputId, 'data-action-id': e.actionId });
        select.append(el('option', { value: '', disabled: '' }, e.placeholder ? this.hooks.text(e.placeholder, appId) : '—'));
        const addOption = (parent: HTMLElement, option: Option) => parent.append(el('option', { value: option.value }, this.optionText(option, appId)));
        for (const option of e.options ?? []) addOption(select, option);
        for (const group of e.optionGroups ?? []) {
            const g = el('optgroup', { label: this.hooks.text(group.label, appId) });
            for (const option of group.options) addOption(g, option);
            select.append(g);
        }
        select.value = typeof initial === 'string' ? initial : '';
        select.addEventListener('change', () => void this.changed(e, context, select.value, 'on_item_selected'));
        return select;
    }

    multi_static_select(element: MultiStaticSelectElement, context: BlockContext): HTMLElement {
        const e = element as Element & MultiStaticSelectElement & { __inputId?: string };
        const appId = e.appId ?? this.hooks.appId;
        const initial = this.initial(e, e.initialValue ?? e.initialOption?.map((o) => o.value));
        const select = el('select', { class: 'uikit-select', multiple: '', id: e.__inputId, 'data-action-id': e.actionId });
        for (const option of e.options ?? []) {
            const o = el('option', { value: option.value }, this.optionText(option, appId));
            o.selected = Array.isArray(initial) && initial.includes(option.value);
            select.append(o);
        }
        select.addEventListener('change', () => void this.changed(e, context, Array.from(select.selectedOptions, (o) => o.value), 'on_item_selected'));
        return select;
    }

    plain_text_input(element: PlainTextInputElement, context: BlockContext): HTMLElement {
        const e = element as Element & PlainTextInputElement & { __inputId?: string };
        const appId = e.appId ?? this.hooks.appId;
        const initial = this.initial(e, e.initialValue);
        const attrs = {
            class: 'uikit-input',
            id: e.__inputId,
            'data-action-id': e.actionId,
            placeholder: e.placeholder ? this.hooks.text(e.placeholder, appId) : undefined,
            minlength: e.minLength !== undefined ? String(e.minLength) : undefined,
            maxlength: e.maxLength !== undefined ? String(e.maxLength) : undefined,
        };
        const input = e.multiline ? el('textarea', { ...attrs, rows: '4' }) : el('input', { ...attrs, type: 'text' });
        input.value = typeof initial === 'string' ? initial : '';
        input.addEventListener('input', () => void this.changed(e, context, input.value, 'on_character_entered'));
        input.addEventListener('keydown', (ev) => {
            if ((ev as KeyboardEvent).key === 'Enter' && !e.multiline && (e.dispatchActionConfig ?? []).includes('on_enter_pressed')) {
                ev.preventDefault();
                void this.changed(e, context, input.value, 'on_enter_pressed');
            }
        });
        return input;
    }

    private choices(e: Element & { options: readonly Option[] }, context: BlockContext, kind: 'checkbox' | 'radio', initial: unknown, cls: string): HTMLElement {
        const appId = e.appId ?? this.hooks.appId;
        const wrap = el('div', { class: `uikit-choices ${cls}`, role: kind === 'radio' ? 'radiogroup' : 'group', 'data-action-id': e.actionId });
        const name = `uikit-${e.blockId}-${e.actionId}`;
        const inputs: HTMLInputElement[] = [];
        for (const option of e.options) {
            const input = el('input', { type: kind, name, value: option.value });
            input.checked = kind === 'radio' ? initial === option.value : Array.isArray(initial) && initial.includes(option.value);
            inputs.push(input);
            input.addEventListener('change', () => {
                const value = kind === 'radio' ? input.value : inputs.filter((i) => i.checked).map((i) => i.value);
                void this.changed(e, context, value, 'on_item_selected');
            });
            wrap.append(el('label', { class: 'choice' }, input, ' ', this.optionText(option, appId)));
        }
        return wrap;
    }

    checkbox(element: CheckboxElement, context: BlockContext): HTMLElement {
        const e = element as Element & CheckboxElement;
        return this.choices(e, context, 'checkbox', this.initial(e, e.initialOptions?.map((o) => o.value)), 'checkbox');
    }

    toggle_switch(element: ToggleSwitchElement, context: BlockContext): HTMLElement {
        const e = element as Element & ToggleSwitchElement;
        return this.choices(e, context, 'checkbox', this.initial(e, e.initialOptions?.map((o) => o.value)), 'toggle');
    }

    radio_button(element: RadioButtonElement, context: BlockContext): HTMLElement {
        const e = element as Element & RadioButtonElement;
        return this.choices(e, context, 'radio', this.initial(e, e.initialOption?.value), 'radio');
    }

    datepicker(element: DatePickerElement, context: BlockContext): HTMLElement {
        const e = element as Element & DatePickerElement & { __inputId?: string };
        const input = el('input', { type: 'date', class: 'uikit-input', id: e.__inputId, 'data-action-id': e.actionId });
        const initial = this.initial(e, e.initialDate);
        input.value = typeof initial === 'string' ? initial : '';
        input.addEventListener('change', () => void this.changed(e, context, input.value, 'on_item_selected'));
        return input;
    }

    time_picker(element: TimePickerElement, context: BlockContext): HTMLElement {
        const e = element as Element & TimePickerElement & { __inputId?: string };
        const input = el('input', { type: 'time', class: 'uikit-input', id: e.__inputId, 'data-action-id': e.actionId });
        const initial = this.initial(e, e.initialTime);
        input.value = typeof initial === 'string' ? initial : '';
        input.addEventListener('change', () => void this.changed(e, context, input.value, 'on_item_selected'));
        return input;
    }

    linear_scale(element: LinearScaleElement, context: BlockContext): HTMLElement {
        const e = element as Element & LinearScaleElement;
        const min = e.minValue ?? 0;
        const max = e.maxValue ?? 10;
        const wrap = el('div', { class: 'uikit-scale', 'data-action-id': e.actionId });
        const initial = this.initial(e, e.initialValue);
        for (let n = min; n <= max; n++) {
            const b = el('button', { type: 'button', class: `uikit-button${initial === n ? ' primary' : ''}`, 'data-value': String(n) }, String(n));
            b.addEventListener('click', () => {
                wrap.querySelectorAll('button').forEach((x) => x.classList.toggle('primary', x === b));
                void this.changed(e, context, n, 'on_item_selected');
            });
            wrap.append(b);
        }
        return wrap;
    }

    /** Elements the local client does not offer (user, channel and conversation pickers): say so instead of hiding them. */
    private unsupported(element: Element): HTMLElement {
        return el('span', { class: 'uikit-unsupported' }, `(${element.type} is not available in the local web client)`);
    }

    users_select(element: BlockElement): HTMLElement {
        return this.unsupported(element as Element);
    }

    multi_users_select(element: BlockElement): HTMLElement {
        return this.unsupported(element as Element);
    }

    channels_select(element: BlockElement): HTMLElement {
        return this.unsupported(element as Element);
    }

    multi_channels_select(element: BlockElement): HTMLElement {
        return this.unsupported(element as Element);
    }

    conversations_select(element: BlockElement): HTMLElement {
        return this.unsupported(element as Element);
    }

    multi_conversations_select(element: BlockElement): HTMLElement {
        return this.unsupported(element as Element);
    }
}
