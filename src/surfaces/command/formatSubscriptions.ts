import { Translate } from '../../i18n/catalog';
import { SubjectTarget, SubscriptionView } from '../../service/types';
import { subjectLabel, targetLabel } from './subjectLabel';

/** How the reply names a delivery room: `here`, `#name`, or its id when it has no name. */
export type RoomNames = ReadonlyMap<string, string>;

export function formatSubscribed(subscription: SubscriptionView, currentRoomId: string, names: RoomNames, tr: Translate): string {
    const subject = subjectLabel(subscription.subject);
    if (subscription.roomId === currentRoomId) return tr('Meta_Subscribed_Here', { subject });
    return tr('Meta_Subscribed_In', { subject, room: roomLabel(subscription.roomId, currentRoomId, names, tr) });
}

export function formatUnsubscribed(target: SubjectTarget, currentRoomId: string, tr: Translate): string {
    return tr('Meta_Unsubscribed', { subject: targetLabel(target, currentRoomId) });
}

export function formatSubscriptions(
    subscriptions: readonly SubscriptionView[],
    currentRoomId: string,
    names: RoomNames,
    tr: Translate,
): string {
    if (subscriptions.length === 0) return tr('Meta_Subscriptions_None');
    const lines = subscriptions.map((subscription) =>
        tr('Meta_Subscriptions_Item', {
            subject: subjectLabel(subscription.subject),
            room: roomLabel(subscription.roomId, currentRoomId, names, tr),
            since: subscription.createdAt.slice(0, 10),
        }),
    );
    return [tr('Meta_Subscriptions_Heading', { count: subscriptions.length }), ...lines].join('\n');
}

function roomLabel(roomId: string, currentRoomId: string, names: RoomNames, tr: Translate): string {
    if (roomId === currentRoomId) return tr('Meta_Room_Here');
    const name = names.get(roomId);
    return name ? `#${name}` : `room:${roomId}`;
}
