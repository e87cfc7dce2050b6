import { LockRequest, MergeRequest, RemoveRequest, SetRequest, StateRequest, StateType, UpdateRequest } from '../../core/types';
import { SubjectTarget } from '../../service/types';

/** One `/meta` invocation, already shaped as the service request it becomes. */
export type ParsedCommand =
    | { action: 'help' }
    | { action: 'get'; target: SubjectTarget; keys?: string[] }
    | { action: 'set'; target: SubjectTarget; request: SetRequest }
    | { action: 'update'; target: SubjectTarget; request: UpdateRequest }
    | { action: 'remove'; target: SubjectTarget; request: RemoveRequest }
    | { action: 'merge'; target: SubjectTarget; request: MergeRequest }
    | { action: 'state'; target: SubjectTarget; request: StateRequest }
    | { action: 'subscribe'; target: SubjectTarget; roomId: string }
    | { action: 'unsubscribe'; target: SubjectTarget }
    | { action: 'history'; target: SubjectTarget; key?: string }
    | { action: 'subscriptions' }
    | { action: 'lock'; target: SubjectTarget; request: LockRequest }
    | { action: 'unlock'; target: SubjectTarget; name: string }
    | { action: 'locks'; target: SubjectTarget }
    | { action: 'choose'; target: SubjectTarget; request: ChoiceRequest };

/** `/meta choose` as the service takes it (core/choice.ts checks it). */
export interface ChoiceRequest {
    question: string;
    choices: string[];
    type?: StateType;
}

export type CommandAction = ParsedCommand['action'];

export interface CommandContext {
    /** the room the command was typed in: `here`, and where `subscribe` delivers */
    roomId: string;
}
