import { Translate } from '../../i18n/catalog';
import { SubjectTarget, SubscriptionView } from '../../service/types';
import { ReplyNames, subjectLabel, targetLabel } from './subjectLabel';

export function formatSubscribed(subscription: SubscriptionView, currentRoomId: string, names: ReplyNames, tr: Translate): string {
    const subject = subjectLabel(subscription.subject, names);
    if (subscription.roomId === currentRoomId) return tr('Meta_Subscribed_Here', { subject });
    return tr('Meta_Subscribed_In', { subject, room: roomLabel(subscription.roomId, currentRoomId, names, tr) });
}

/** `wasSubscribed` false: there was nothing to end, and the reply says so rather than confirm. */
export function formatUnsubscribed(target: SubjectTarget, currentRoomId: string, wasSubscribed: boolean, tr: Translate): string {
    const subject = targetLabel(target, currentRoomId);
    return tr(wasSubscribed ? 'Meta_Unsubscribed' : 'Meta_Unsubscribed_Not_Subscribed', { subject });
}

export function formatSubscriptions(
    subscriptions: readonly SubscriptionView[],
    currentRoomId: string,
    names: ReplyNames,
    tr: Translate,
): string {
    if (subscriptions.length === 0) return tr('Meta_Subscriptions_None');
    const lines = subscriptions.map((subscription) =>
        tr('Meta_Subscriptions_Item', {
            subject: subjectLabel(subscription.subject, names),
            room: roomLabel(subscription.roomId, currentRoomId, names, tr),
            since: subscription.createdAt.slice(0, 10),
        }),
    );
    return [tr('Meta_Subscriptions_Heading', { count: subscriptions.length }), ...lines].join('\n');
}

function roomLabel(roomId: string, currentRoomId: string, names: ReplyNames, tr: Translate): string {
    if (roomId === currentRoomId) return tr('Meta_Room_Here');
    return names.rooms.get(roomId) ?? `room:${roomId}`;
}
