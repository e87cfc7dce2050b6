import { VisibleChange } from '../../access/visibility';
import { buildView } from '../../service/buildView';
import { ChangeNotice, MetadataView } from '../../service/types';
import { MetadataEvent } from './metadataEvent';

/** The UPDATE one subscriber gets: the change as they see it (access/visibility.ts), with the set as they may read it. */
export function updateEventFor(notice: ChangeNotice, seen: VisibleChange): MetadataEvent {
    const view = buildView(notice.subject, notice.set, notice.state, seen.mayReadPrivate);
    const event: MetadataEvent = {
        type: 'UPDATE',
        ...viewData(view),
        changed: seen.changed,
        removed: seen.removed,
        stateChanged: seen.stateChanged,
        actor: { id: notice.actor.id, username: notice.actor.username },
        at: notice.at,
    };
    if (notice.cause !== undefined) event.cause = notice.cause;
    return event;
}

export function snapshotEvent(view: MetadataView, subscriber: { id: string; username: string }, at: string): MetadataEvent {
    return {
        type: 'SNAPSHOT',
        ...viewData(view),
        changed: [],
        removed: [],
        stateChanged: [],
        actor: { id: subscriber.id, username: subscriber.username },
        at,
    };
}

function viewData(view: MetadataView): Pick<MetadataEvent, 'subject' | 'majorRevision' | 'items' | 'document' | 'state'> {
    return {
        subject: { ...view.subject },
        majorRevision: view.majorRevision,
        items: view.items,
        document: view.document,
        state: view.state,
    };
}
