import { IRead } from '@rocket.chat/apps-engine/definition/accessors';

import { Existence } from '../service/lifecycle';

/**
 * Whether a room, user or message id exists, asked by id only and never quietly: Rocket.Chat's bridges answer `undefined`
 * for an id they do not find (Rooms/Users.findOneById → null → the converter's undefined), and an error means
 * the server could not tell, so it is thrown (nothing is purged on an error).
 */
export function createExistence(read: IRead): Existence {
    return {
        async exists(subject) {
            const found: unknown = subject.namespace === 'room'
                ? await read.getRoomReader().getById(subject.id)
                : subject.namespace === 'message'
                    ? await read.getMessageReader().getById(subject.id)
                    : await read.getUserReader().getById(subject.id);
            return typeof found === 'object' && found !== null && typeof (found as { id?: unknown }).id === 'string' && (found as { id: string }).id !== '';
        },
    };
}
