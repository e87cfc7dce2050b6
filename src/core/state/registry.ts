import { StateType } from '../types';
import { fwwRules } from './fww';
import { lwwRules } from './lww';
import { lwwnRules } from './lwwn';
import { orSetRules } from './orSet';
import { StateTypeRules } from './rules';

export const STATE_RULES: Readonly<Record<StateType, StateTypeRules>> = {
    set: orSetRules,
    fww: fwwRules,
    lww: lwwRules,
    lwwn: lwwnRules,
};

export function rulesFor(type: string): StateTypeRules | undefined {
    return Object.prototype.hasOwnProperty.call(STATE_RULES, type) ? STATE_RULES[type as StateType] : undefined;
}
