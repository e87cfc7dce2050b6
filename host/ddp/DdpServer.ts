// Rocket.Chat's realtime API on the local host: DDP (Meteor's protocol, version 1) over a websocket at `/websocket`,
// as Rocket.Chat's DDPStreamer serves it (ee/apps/ddp-streamer), with what a bot needs:
//
// - connect / ping / pong; the server's `server_id` greeting; idle sessions are pinged, then closed;
// - methods `login` (`{resume: token}`, or `{user: {username|email|id}, password: {digest, algorithm: 'sha-256'}}` or a
//   plain password string) and `logout`; any other method answers 404 "Method '…' not found";
// - subscriptions to `stream-notify-user` and `stream-room-messages` (see ./streams.ts); any other answers `nosub`
//   with 404 "Subscription '…' not found".
//
// Frames are EJSON (dates as `{$date}`), results are followed by `updated`, errors are Meteor.Error objects, exactly
// as the server sends them. The websocket is `ws`; DDP itself is small enough to implement here, as DDPStreamer does.
import type http from 'node:http';
import type { Duplex } from 'node:stream';

import { WebSocket, WebSocketServer, type RawData } from 'ws';

import type { HostContext } from '../engine/context';
import type { UserDoc } from '../store/docs';
import { randomId } from '../store/ids';
import { parse, stringify } from './ejson';
import { isReadAllowed, isStreamName, MeteorError, StreamFeed, type StreamSession, type StreamSubscription } from './streams';

export const DDP_PATH = '/websocket';

/** DDP versions a Meteor server speaks, preferred first. */
const SUPPORTED_VERSIONS = ['1', 'pre2', 'pre1'];

/** Rocket.Chat's default Accounts_LoginExpiration: 90 days. */
const TOKEN_LIFETIME_MS = 90 * 24 * 60 * 60 * 1000;

/** DDPStreamer's TIMEOUT: an idle session is pinged after this long, and closed when it stays silent as long again. */
const IDLE_MS = 60_000;

const WS_PROTOCOL_ERROR = 1002;
const WS_UNSUPPORTED_DATA = 1003;

interface Frame {
    msg?: unknown;
    id?: unknown;
    method?: unknown;
    name?: unknown;
    params?: unknown;
    version?: unknown;
    support?: unknown;
}

export interface DdpServerOptions {
    /** false while the instance is starting: upgrades are refused with 503 */
    isReady: () => boolean;
    /** the `x-host-instance` header of the upgrade answer */
    instanceHeader: string;
    /** how often the streams look for what any instance recorded (ms) */
    pollMs?: number;
}

export class DdpServer {
    private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 10 * 1024 * 1024 });

    private readonly sessions = new Set<DdpSession>();

    readonly feed: StreamFeed;

    constructor(
        readonly ctx: HostContext,
        private readonly options: DdpServerOptions,
    ) {
        this.feed = new StreamFeed(ctx, options.pollMs);
        this.wss.on('headers', (headers) => headers.push(`x-host-instance: ${options.instanceHeader}`));
    }

    /** The HTTP server's `upgrade` handler: `/websocket` becomes a DDP session; anything else is refused. */
    handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
        const { pathname } = new URL(req.url ?? '/', 'http://localhost');
        if (pathname !== DDP_PATH && pathname !== `${DDP_PATH}/`) {
            refuse(socket, 404, 'Not Found', this.options.instanceHeader);
            return;
        }
        if (!this.options.isReady()) {
            refuse(socket, 503, 'Service Unavailable', this.options.instanceHeader);
            return;
        }
        this.wss.handleUpgrade(req, socket, head, (ws) => {
            const session = new DdpSession(this, ws);
            this.sessions.add(session);
            ws.once('close', () => this.sessions.delete(session));
        });
    }

    /** Ends every session (the instance is stopping). */
    close(): void {
        for (const session of this.sessions) {
            session.terminate();
        }
        this.sessions.clear();
        this.feed.stop();
        this.wss.close();
    }
}

function refuse(socket: Duplex, status: number, text: string, instanceHeader: string): void {
    const body = JSON.stringify({ success: false, error: text });
    socket.end(
        `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nx-host-instance: ${instanceHeader}\r\nConnection: close\r\n\r\n${body}`,
    );
}

interface LoginResult {
    id: string;
    token: string;
    tokenExpires: Date;
    type: 'resume' | 'password';
}

class DdpSession implements StreamSession {
    readonly session = randomId(17);

    userId?: string;

    /** the login token this session logged in with (logout deletes it) */
    private token?: string;

    private connected = false;

    private readonly subscriptions = new Map<string, StreamSubscription>();

    /** methods and subscriptions run one after the other, in the order they came (Meteor's default) */
    private chain: Promise<void> = Promise.resolve();

    private idleTimer?: NodeJS.Timeout;

    private pinged = false;

    constructor(
        private readonly server: DdpServer,
        private readonly ws: WebSocket,
    ) {
        ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
        ws.on('close', () => this.onClose());
        ws.on('error', () => ws.terminate());
        this.sendFrame({ msg: 'server_id', server_id: '0' });
        this.renewIdle();
    }

    private get ctx(): HostContext {
        return this.server.ctx;
    }

    sendText(text: string): void {
        if (this.ws.readyState === WebSocket.OPEN) {
            this.ws.send(text);
        }
    }

    private sendFrame(frame: Record<string, unknown>): void {
        this.sendText(stringify(frame));
    }

    terminate(): void {
        this.ws.terminate();
        this.onClose();
    }

    private onClose(): void {
        clearTimeout(this.idleTimer);
        for (const sub of this.subscriptions.values()) {
            this.server.feed.remove(sub);
        }
        this.subscriptions.clear();
    }

    private renewIdle(): void {
        clearTimeout(this.idleTimer);
        this.pinged = false;
        this.idleTimer = setTimeout(() => this.onIdle(), IDLE_MS);
        this.idleTimer.unref();
    }

    private onIdle(): void {
        if (this.pinged) {
            this.ws.close(1000, 'timeout');
            return;
        }
        this.pinged = true;
        this.sendFrame({ msg: 'ping' });
        this.idleTimer = setTimeout(() => this.onIdle(), IDLE_MS);
        this.idleTimer.unref();
    }

    private onMessage(data: RawData, isBinary: boolean): void {
        this.renewIdle();
        let frame: Frame;
        try {
            if (isBinary) {
                throw new Error('binary data');
            }
            const text = String(data);
            // SockJS-style clients wrap each frame in a JSON array
            const parsed = parse(text.startsWith('[') ? (JSON.parse(text) as string[])[0] : text);
            if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
                throw new Error('not an object');
            }
            frame = parsed as Frame;
        } catch {
            this.ws.close(WS_UNSUPPORTED_DATA, 'Unsupported data');
            return;
        }
        if (!this.connected) {
            this.onConnect(frame);
            return;
        }
        switch (frame.msg) {
            case 'ping':
                this.sendFrame({ msg: 'pong', ...(frame.id !== undefined && { id: frame.id }) });
                return;
            case 'pong':
                return;
            case 'method':
                if (typeof frame.method !== 'string' || typeof frame.id !== 'string') {
                    this.ws.close(WS_PROTOCOL_ERROR, 'Protocol error');
                    return;
                }
                this.enqueue(() => this.callMethod(frame.id as string, frame.method as string, Array.isArray(frame.params) ? frame.params : []));
                return;
            case 'sub':
                if (typeof frame.name !== 'string' || typeof frame.id !== 'string') {
                    this.ws.close(WS_PROTOCOL_ERROR, 'Protocol error');
                    return;
                }
                this.enqueue(() => this.subscribe(frame.id as string, frame.name as string, Array.isArray(frame.params) ? frame.params : []));
                return;
            case 'unsub':
                if (typeof frame.id !== 'string') {
                    this.ws.close(WS_PROTOCOL_ERROR, 'Protocol error');
                    return;
                }
                this.enqueue(() => this.unsubscribe(frame.id as string));
                return;
            default:
                // Meteor answers an unknown message with an `error` frame and carries on
                this.sendFrame({ msg: 'error', reason: 'Bad request', offendingMessage: frame });
        }
    }

    private onConnect(frame: Frame): void {
        if (frame.msg !== 'connect') {
            this.ws.close(WS_PROTOCOL_ERROR, 'Protocol error');
            return;
        }
        if (typeof frame.version !== 'string' || !SUPPORTED_VERSIONS.includes(frame.version)) {
            const theirs = Array.isArray(frame.support) ? frame.support : [];
            this.sendFrame({ msg: 'failed', version: SUPPORTED_VERSIONS.find((v) => theirs.includes(v)) ?? SUPPORTED_VERSIONS[0] });
            this.ws.close(1000, 'Unsupported DDP version');
            return;
        }
        this.connected = true;
        this.sendFrame({ msg: 'connected', session: this.session });
    }

    private enqueue(task: () => void | Promise<void>): void {
        this.chain = this.chain.then(task).catch((error) => {
            this.ctx.log.add('error', 'ddp', `DDP message failed: ${(error as Error)?.stack ?? error}`);
        });
    }

    // --- methods ---------------------------------------------------------------------------------------------

    private async callMethod(id: string, method: string, params: unknown[]): Promise<void> {
        if (this.ws.readyState !== WebSocket.OPEN) {
            return;
        }
        let result: unknown;
        let error: MeteorError | undefined;
        try {
            switch (method) {
                case 'login':
                    result = this.login(params[0]);
                    break;
                case 'logout':
                    result = this.logout();
                    break;
                default:
                    throw new MeteorError(404, `Method '${method}' not found`);
            }
        } catch (thrown) {
            if (thrown instanceof MeteorError) {
                error = thrown;
            } else {
                // like the server: unexpected errors are logged and redacted
                this.ctx.log.add('error', 'ddp', `method ${method}: ${(thrown as Error)?.stack ?? thrown}`);
                error = new MeteorError(500, 'Internal server error');
            }
        }
        this.sendFrame({ msg: 'result', id, ...(result !== undefined && { result }), ...(error && { error: error.toJSON() }) });
        this.sendFrame({ msg: 'updated', methods: [id] });
        if (method === 'logout' && !error) {
            // DDPStreamer closes the socket after a logout, so that the client sets up its subscriptions again
            setTimeout(() => this.ws.close(WS_PROTOCOL_ERROR, 'Logged out'), 1).unref();
        }
    }

    private login(options: unknown): LoginResult {
        if (!options || typeof options !== 'object' || Array.isArray(options)) {
            throw new MeteorError(400, 'Match failed');
        }
        const { resume, user, password } = options as { resume?: unknown; user?: unknown; password?: unknown };
        const { users } = this.ctx;
        if (resume !== undefined) {
            const found = typeof resume === 'string' ? users.findToken(resume) : undefined;
            const account = found && users.findById(found.userId);
            if (!found || !account?.active) {
                throw new MeteorError(403, "You've been logged out by the server. Please log in again.");
            }
            this.setUser(account._id, resume as string);
            return { id: account._id, token: resume as string, tokenExpires: new Date(found.createdAt.getTime() + TOKEN_LIFETIME_MS), type: 'resume' };
        }
        if (user !== undefined && password !== undefined) {
            const account = this.findLoginUser(user);
            if (!account) {
                throw new MeteorError(403, 'User not found');
            }
            let ok: boolean;
            if (typeof password === 'string') {
                ok = users.checkPassword(account._id, password);
            } else if (password && typeof password === 'object' && typeof (password as { digest?: unknown }).digest === 'string') {
                if ((password as { algorithm?: unknown }).algorithm !== 'sha-256') {
                    throw new MeteorError(400, 'Invalid password hash algorithm. Only \'sha-256\' is allowed.');
                }
                ok = users.checkPasswordDigest(account._id, (password as { digest: string }).digest);
            } else {
                throw new MeteorError(400, 'Match failed');
            }
            if (!ok) {
                throw new MeteorError(403, 'Incorrect password');
            }
            if (!account.active) {
                throw new MeteorError('error-user-is-not-activated', 'User is not activated');
            }
            const token = users.createToken(account._id);
            users.set(account._id, { lastLogin: new Date() });
            this.setUser(account._id, token);
            return { id: account._id, token, tokenExpires: new Date(Date.now() + TOKEN_LIFETIME_MS), type: 'password' };
        }
        throw new MeteorError(400, 'Unrecognized options for login request');
    }

    /** Meteor's selector: `{username}`, `{email}`, `{id}`, or a string (an e-mail address when it has an `@`). */
    private findLoginUser(selector: unknown): UserDoc | undefined {
        const { users } = this.ctx;
        let found: UserDoc | undefined;
        const byEmail = (address: string) => users.list().find((u) => u.emails?.some((e) => e.address.toLowerCase() === address.toLowerCase()));
        if (typeof selector === 'string') {
            found = selector.includes('@') ? byEmail(selector) : users.findByUsername(selector);
        } else if (selector && typeof selector === 'object') {
            const { username, email, id } = selector as { username?: unknown; email?: unknown; id?: unknown };
            if (typeof username === 'string') {
                found = users.findByUsername(username);
            } else if (typeof email === 'string') {
                found = byEmail(email);
            } else if (typeof id === 'string') {
                found = users.findById(id);
            }
        }
        // only people sign in with a password (an app's bot has none)
        return found?.type === 'user' ? found : undefined;
    }

    private logout(): undefined {
        if (this.token) {
            this.ctx.users.deleteToken(this.token);
        }
        this.setUser(undefined, undefined);
        return undefined;
    }

    /** A new user on the session: subscriptions that user may not read end (`nosub` with `not-allowed`). */
    private setUser(userId: string | undefined, token: string | undefined): void {
        const changed = userId !== this.userId;
        this.userId = userId;
        this.token = token;
        if (!changed) {
            return;
        }
        for (const sub of Array.from(this.subscriptions.values())) {
            if (!isReadAllowed(this.ctx, sub.name, sub.eventName, userId)) {
                this.server.feed.remove(sub);
                this.subscriptions.delete(sub.id);
                this.sendFrame({ msg: 'nosub', id: sub.id, error: new MeteorError('not-allowed').toJSON() });
            }
        }
    }

    // --- subscriptions ---------------------------------------------------------------------------------------

    private subscribe(id: string, name: string, params: unknown[]): void {
        if (this.ws.readyState !== WebSocket.OPEN || this.subscriptions.has(id)) {
            return;
        }
        if (!isStreamName(name)) {
            this.sendFrame({ msg: 'nosub', id, error: new MeteorError(404, `Subscription '${name}' not found`).toJSON() });
            return;
        }
        const [eventName, options] = params;
        if (typeof eventName !== 'string' || eventName.length === 0) {
            this.sendFrame({ msg: 'nosub', id, error: new MeteorError('invalid-event-name').toJSON() });
            return;
        }
        if (!isReadAllowed(this.ctx, name, eventName, this.userId)) {
            this.sendFrame({ msg: 'nosub', id, error: new MeteorError('not-allowed').toJSON() });
            return;
        }
        const sub = this.server.feed.add({ id, name, eventName, session: this });
        this.subscriptions.set(id, sub);
        const useCollection = options === true || (typeof options === 'object' && options !== null && (options as { useCollection?: unknown }).useCollection === true);
        if (useCollection) {
            // the streamer's collection compatibility mode
            this.sendFrame({ msg: 'added', collection: name, id: 'id', fields: { eventName } });
        }
        this.sendFrame({ msg: 'ready', subs: [id] });
    }

    private unsubscribe(id: string): void {
        const sub = this.subscriptions.get(id);
        if (!sub) {
            return;
        }
        this.server.feed.remove(sub);
        this.subscriptions.delete(id);
        this.sendFrame({ msg: 'nosub', id });
    }
}
