import crypto from 'node:crypto';

// Rocket.Chat's Random.id(): 17 characters from an alphabet without look-alikes.
const UNMISTAKABLE = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';

export function randomId(length = 17): string {
    const bytes = crypto.randomBytes(length);
    let out = '';
    for (let i = 0; i < length; i++) {
        out += UNMISTAKABLE[bytes[i] % UNMISTAKABLE.length];
    }
    return out;
}

let counter = crypto.randomBytes(3).readUIntBE(0, 3);
const processUnique = crypto.randomBytes(5);

/**
 * A MongoDB ObjectId as its 24-hex-digit string (4-byte seconds, 5 random bytes per process, 3-byte counter):
 * the app persistence collection uses these ids, and `remove(id)` rejects anything else like the driver does.
 */
export function objectId(): string {
    const buf = Buffer.alloc(12);
    buf.writeUInt32BE(Math.floor(Date.now() / 1000), 0);
    processUnique.copy(buf, 4);
    counter = (counter + 1) % 0xffffff;
    buf.writeUIntBE(counter, 9, 3);
    return buf.toString('hex');
}

export function isObjectId(id: unknown): id is string {
    return typeof id === 'string' && /^[0-9a-fA-F]{24}$/.test(id);
}

/** A login token as Rocket.Chat hands them out (43 url-safe characters). */
export function randomToken(): string {
    return crypto.randomBytes(32).toString('base64url');
}

export function sha256(text: string): string {
    return crypto.createHash('sha256').update(text).digest('base64');
}
