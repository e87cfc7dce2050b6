import { BlockType, IActionsBlock, IBlock, IContextBlock, IDividerBlock, IInputBlock, ISectionBlock } from '@rocket.chat/apps-engine/definition/uikit/blocks/Blocks';
import {
    BlockElementType, ButtonStyle, IBlockElement, IButtonElement, IPlainTextInputElement, IStaticSelectElement,
} from '@rocket.chat/apps-engine/definition/uikit/blocks/Elements';
import { ITextObject, TextObjectType } from '@rocket.chat/apps-engine/definition/uikit/blocks/Objects';

/*
 * Plain UIKit block objects, typed by the engine's own block types (present since 1.12, so under `^1.35.0` as in
 * the newest engine). Every block that holds an action carries the app's id, as the engine's BlockBuilder does: a
 * client sends the interaction to /api/apps/ui.interaction/<that id>.
 */

export type Block = IBlock;

export function plain(text: string): ITextObject {
    return { type: TextObjectType.PLAINTEXT, text, emoji: true };
}

export function markdown(text: string): ITextObject {
    return { type: TextObjectType.MARKDOWN, text };
}

export function section(text: string, accessory?: IButtonElement): ISectionBlock {
    return { type: BlockType.SECTION, text: markdown(text), ...(accessory ? { accessory } : {}) };
}

export function context(...texts: string[]): IContextBlock {
    return { type: BlockType.CONTEXT, elements: texts.map(markdown) };
}

export function divider(): IDividerBlock {
    return { type: BlockType.DIVIDER };
}

export function actions(appId: string, blockId: string, elements: IBlockElement[]): IActionsBlock {
    return { type: BlockType.ACTIONS, appId, blockId, elements };
}

export function button(actionId: string, text: string, value: string, style?: 'primary' | 'danger'): IButtonElement {
    return {
        type: BlockElementType.BUTTON,
        actionId,
        text: plain(text),
        value,
        ...(style === 'primary' ? { style: ButtonStyle.PRIMARY } : style === 'danger' ? { style: ButtonStyle.DANGER } : {}),
    };
}

/** An input whose block id is its action id: a submitted view's state is `{[id]: {[id]: value}}`, errors name it. */
export function textInput(appId: string, id: string, label: string, options: { initial?: string; placeholder?: string; multiline?: boolean; optional?: boolean } = {}): IInputBlock {
    const element: IPlainTextInputElement = {
        type: BlockElementType.PLAIN_TEXT_INPUT,
        actionId: id,
        placeholder: plain(options.placeholder ?? ''),
        ...(options.initial !== undefined ? { initialValue: options.initial } : {}),
        ...(options.multiline ? { multiline: true } : {}),
    };
    return { type: BlockType.INPUT, appId, blockId: id, label: plain(label), element, ...(options.optional ? { optional: true } : {}) };
}

export function select(appId: string, id: string, label: string, choices: Array<{ value: string; text: string }>, initial: string): IInputBlock {
    const element: IStaticSelectElement = {
        type: BlockElementType.STATIC_SELECT,
        actionId: id,
        placeholder: plain(label),
        options: choices.map((choice) => ({ text: plain(choice.text), value: choice.value })),
        initialValue: initial,
    };
    return { type: BlockType.INPUT, appId, blockId: id, label: plain(label), element };
}
