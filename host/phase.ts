// What the host is doing while `npm start` waits, one line per phase with how long it usually takes, so a slow
// machine shows progress instead of a bare cursor. The usual times were measured on a 2-CPU machine.

/** Runs `work` after a line saying what it is (`text`) and how long it usually takes; ends the line with the time taken. */
export async function phase<T>(text: string, usually: string, work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    // On a terminal the time taken ends the same line; elsewhere (logs, the test harness) lines stay whole.
    const tty = process.stdout.isTTY === true;
    process.stdout.write(`${text} (usually ${usually})${tty ? ' ' : '\n'}`);
    const result = await work();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(tty ? `done in ${seconds} s\n` : `  ${text.replace(/…$/, '')}: done in ${seconds} s\n`);
    return result;
}
