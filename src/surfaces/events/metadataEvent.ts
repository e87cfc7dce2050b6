import { JsonObject } from '../../core/json';
import { Cause, Item, StateView } from '../../core/types';
import { SubjectInfo } from '../../service/types';
import type { LockChangeKind } from '../../core/locks';

/** What a subscriber receives as `customFields.metadataEvent` (SPEC §9, full-data mode). */
export interface MetadataEvent {
    type: 'SNAPSHOT' | 'UPDATE';
    subject: SubjectInfo;
    majorRevision: number;
    /** the whole set as this subscriber may read it */
    items: Item[];
    document: JsonObject;
    state: StateView;
    /** item keys changed / removed as this subscriber sees them (empty in a SNAPSHOT) */
    changed: string[];
    removed: string[];
    stateChanged: string[];
    /** who wrote (in a SNAPSHOT: the subscriber) */
    actor: { id: string; username: string };
    /** ISO-8601 */
    at: string;
    /** the writer's note; only in events, never stored */
    cause?: Cause;
}

/** What a subscriber receives when a lock of the subject changes (SPEC §16), in `customFields.metadataEvent`. */
export interface LockEvent {
    type: 'LOCK';
    subject: SubjectInfo;
    change: LockChangeKind;
    lock: { name: string; holder: { id: string; username: string }; acquiredAt: string; expiresAt: string };
    /** who made the change: the holder, a revoker; absent for an expiry */
    actor?: { id: string; username: string };
    /** ISO-8601 */
    at: string;
}
