import { visibleChange } from '../../access/visibility';
import { buildView } from '../../service/buildView';
import { ChangeNotice, MetadataView } from '../../service/types';
import { MetadataEvent } from './metadataEvent';

/** The UPDATE one subscriber gets, or undefined when nothing they may see changed. */
export function updateEventFor(notice: ChangeNotice, mayReadPrivate: boolean): MetadataEvent | undefined {
    const { changed, removed } = visibleChange(
        { changed: notice.changed, removed: notice.removed, before: notice.before, after: notice.set },
        mayReadPrivate,
    );
    if (changed.length === 0 && removed.length === 0 && notice.stateChanged.length === 0) return undefined;
    const view = buildView(notice.subject, notice.set, notice.state, mayReadPrivate);
    const event: MetadataEvent = {
        type: 'UPDATE',
        ...viewData(view),
        changed,
        removed,
        stateChanged: notice.stateChanged.slice(),
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
