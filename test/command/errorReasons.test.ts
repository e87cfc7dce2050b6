// Every service error a `/meta` user meets reads as one language throughout (issue 8: no English sentences
// wrapped in German): each is produced here by the real parser, service, core and store, and must match a
// reason of the catalog — so a changed core message cannot silently fall back to the generic text.
import { describe, expect, it } from 'vitest';

import { isMetadataError } from '../../src/core/errors';
import { translator } from '../../src/i18n/catalog';
import { reasonOf } from '../../src/surfaces/command/errorReasons';
import { formatError } from '../../src/surfaces/command/formatError';
import { parseMetaCommand } from '../../src/surfaces/command/parseMetaCommand';
import { runMetaCommand } from '../../src/surfaces/command/runMetaCommand';
import { SETTING } from '../../src/settings';
import { harness } from '../service/harness';

function setup(settings: Record<string, unknown> = {}) {
    const h = harness();
    h.engine.settings[SETTING.writesPerSecond] = 0;
    Object.assign(h.engine.settings, settings);
    /** The error `/meta <line>` fails with (arguments split on spaces). */
    const fails = async (line: string, as = 'alice'): Promise<unknown> => {
        try {
            const command = parseMetaCommand(line.split(' ').filter(Boolean), { roomId: 'r-general' });
            await runMetaCommand(
                { service: h.service, caller: h.caller(as), tr: translator('en'), roomId: 'r-general', rooms: async () => new Map(), userNames: async () => new Map(), now: h.clock.now },
                command,
            );
        } catch (error) {
            return error;
        }
        throw new Error(`expected /meta ${line.slice(0, 60)} to fail`);
    };
    return { h, fails };
}

const deep = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;

const CASES: Array<{ reason: string; lines: string[]; as?: string; settings?: Record<string, unknown> }> = [
    { reason: 'Meta_Reason_Key_Empty_Segment', lines: ['set a..b=1'] },
    { reason: 'Meta_Reason_Key_Reserved', lines: ['set a.prototype=1'] },
    { reason: 'Meta_Reason_Key_Characters', lines: ['set a.b$=1'] },
    { reason: 'Meta_Reason_Key_Too_Long', lines: [`set ${'k'.repeat(300)}=1`] },
    { reason: 'Meta_Reason_Key_Segments', lines: [`set ${Array.from({ length: 40 }, () => 'k').join('.')}=1`] },
    { reason: 'Meta_Reason_Keys_Overlap', lines: ['set a=1 a.b=2'] },
    { reason: 'Meta_Reason_Proto', lines: ['set o={"__proto__":1}', 'merge {"__proto__":{"x":1}}', 'set k=1 --cause {"__proto__":1}'] },
    { reason: 'Meta_Reason_Patch_Member', lines: ['merge {"a$b":1}'] },
    { reason: 'Meta_Reason_Null_Inside', lines: ['set o=[1,null]'] },
    { reason: 'Meta_Reason_Forbidden_Read_Private', lines: ['get #secret'], as: 'bob' },
    { reason: 'Meta_Reason_Forbidden_User_Write', lines: ['set @alice x=1'], as: 'bob' },
    { reason: 'Meta_Reason_Forbidden_Room_Write', lines: ['set #general x=1'], as: 'bob' },
    { reason: 'Meta_Reason_Forbidden_Room_Write_Members', lines: ['set #general x=1'], as: 'carol', settings: { [SETTING.membersMayWriteRooms]: true } },
    { reason: 'Meta_Reason_Forbidden_State', lines: ['state #general v add 1'], as: 'carol' },
    { reason: 'Meta_Reason_No_User', lines: ['get @nobody'] },
    { reason: 'Meta_Reason_No_Room', lines: ['get #nowhere'] },
    { reason: 'Meta_Reason_Update_Missing', lines: ['update ghost=1'] },
    { reason: 'Meta_Reason_Remove_Missing', lines: ['remove ghost'] },
    { reason: 'Meta_Reason_Set_Not_Held', lines: ['state s remove y --type set'] },
    { reason: 'Meta_Reason_No_Entry', lines: ['state l remove --type lwwn'] },
    { reason: 'Meta_Reason_Value_Bytes', lines: [`set big=${'x'.repeat(17_000)}`] },
    { reason: 'Meta_Reason_Cause_Bytes', lines: [`set c=1 --cause ${'x'.repeat(20)}`], settings: { [SETTING.causeBytes]: 10 } },
    { reason: 'Meta_Reason_Request_Items', lines: ['set a1=1 a2=2 a3=3'], settings: { [SETTING.itemsPerRequest]: 2 } },
    { reason: 'Meta_Reason_Set_Items', lines: ['set a1=1 a2=2 a3=3'], settings: { [SETTING.itemsPerSet]: 2 } },
    { reason: 'Meta_Reason_Set_Bytes', lines: [`set a=${'x'.repeat(80)} b=${'y'.repeat(80)}`], settings: { [SETTING.setBytes]: 100 } },
    { reason: 'Meta_Reason_Nesting', lines: [`set k=${deep(40)}`, `merge {"a":${deep(40)}}`] },
];

describe('the errors /meta users meet are read as reasons of the catalog', () => {
    it.each(CASES)('$reason', async ({ reason, lines, as, settings }) => {
        for (const line of lines) {
            const { fails } = setup(settings);
            const error = await fails(line, as);
            expect(isMetadataError(error), line.slice(0, 60)).toBe(true);
            expect(reasonOf(error as never)?.key, `${line.slice(0, 60)}: ${(error as Error).message}`).toBe(reason);
            const german = formatError(error, translator('de'));
            expect(german, line.slice(0, 60)).not.toMatch(/\b(the|is|must|may|not|and|of)\b/);
        }
    });

    it('state rules: first-writer-wins, last-writer-wins, a fixed type', async () => {
        const { fails, h } = setup();
        const run = (line: string) => runMetaCommand(
            { service: h.service, caller: h.caller('alice'), tr: translator('en'), roomId: 'r-general', rooms: async () => new Map(), userNames: async () => new Map(), now: h.clock.now },
            parseMetaCommand(line.split(' '), { roomId: 'r-general' }),
        );
        await run('state f add 1 --type fww');
        await run('state w add 1 --type lww');
        const cases: Array<[string, string]> = [
            ['state f add 2', 'Meta_Reason_Fww_Set'],
            ['state f remove 1', 'Meta_Reason_Fww_Remove'],
            ['state w remove 1', 'Meta_Reason_Lww_Remove'],
            ['state w add 1 --type set', 'Meta_Reason_Type_Mismatch'],
        ];
        for (const [line, reason] of cases) expect(reasonOf((await fails(line)) as never)?.key, line).toBe(reason);
    });

    it('reads well in both languages', async () => {
        const { fails } = setup();
        const error = await fails('set #general x=1', 'bob');
        expect(formatError(error, translator('en'))).toBe(
            'Only the owners and moderators of #general and admins may change its metadata. Ask one of them, or ask an admin to let all members write.',
        );
        expect(formatError(error, translator('de'))).toBe(
            'Nur die Besitzer und Moderatoren von #general und Admins dürfen seine Metadaten ändern. Fragen Sie einen von ihnen, oder bitten Sie einen Admin, allen Mitgliedern das Schreiben zu erlauben.',
        );
    });
});
