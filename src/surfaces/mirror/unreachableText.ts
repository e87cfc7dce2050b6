/** Words for the writer when the engine cannot save the room's mirror (src/engine/roomUpdate.ts): which room, what it lacks, and why. */
export function unreachableText(roomName: string, missing: string[]): string {
    return `Saved. The public metadata of ${roomName} is not mirrored into the room's customFields: this server's Apps-Engine `
        + `(before 1.49, Rocket.Chat before 7.4) only saves rooms that have a ${missing.join(', a ')}, which ${roomName} was created without `
        + '(as #general and direct rooms are), and the app will not write one into the room. GET the metadata instead; it is all there.';
}
