import { IUIActionButtonDescriptor, UIActionButtonContext } from '@rocket.chat/apps-engine/definition/ui';
import { OPEN } from './ids';

/**
 * SPEC §17's entry points: a room action **Metadata**, a user-menu entry **My metadata**, a message action
 * **Metadata of the sender**, and **State of this message** (SPEC §19: its choices and picks). Labels are keys of i18n/ (the client reads them from the app's languages).
 */
export const PANEL_BUTTONS: readonly IUIActionButtonDescriptor[] = [
    { actionId: OPEN.room, labelI18n: 'Meta_Button_Room', context: UIActionButtonContext.ROOM_ACTION },
    { actionId: OPEN.user, labelI18n: 'Meta_Button_User', context: UIActionButtonContext.USER_DROPDOWN_ACTION },
    { actionId: OPEN.sender, labelI18n: 'Meta_Button_Message', context: UIActionButtonContext.MESSAGE_ACTION },
    { actionId: OPEN.message, labelI18n: 'Meta_Button_This_Message', context: UIActionButtonContext.MESSAGE_ACTION },
];
