// The host's REST API as the web client uses it: Rocket.Chat's paths and bodies, auth by X-User-Id + X-Auth-Token.

export interface Session {
    userId: string;
    authToken: string;
    username: string;
    name?: string;
}

export class ApiError extends Error {
    constructor(
        readonly status: number,
        readonly body: unknown,
    ) {
        super(ApiError.describe(status, body));
    }

    static describe(status: number, body: unknown): string {
        if (body && typeof body === 'object') {
            const b = body as { error?: unknown; message?: unknown };
            if (typeof b.error === 'string') return b.error;
            if (b.error && typeof b.error === 'object' && typeof (b.error as { message?: unknown }).message === 'string') return (b.error as { message: string }).message;
            if (typeof b.message === 'string') return b.message;
        }
        return `HTTP ${status}`;
    }
}

const SESSION_KEY = 'metadata-store-host.session';

export function loadSession(): Session | undefined {
    try {
        const raw = localStorage.getItem(SESSION_KEY);
        return raw ? (JSON.parse(raw) as Session) : undefined;
    } catch {
        return undefined;
    }
}

export function saveSession(session: Session | undefined): void {
    if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    else localStorage.removeItem(SESSION_KEY);
}

export class Api {
    session?: Session;

    async request<T = Record<string, unknown>>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
        const headers: Record<string, string> = {};
        if (this.session) {
            headers['X-User-Id'] = this.session.userId;
            headers['X-Auth-Token'] = this.session.authToken;
        }
        if (body !== undefined) headers['Content-Type'] = 'application/json';
        const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
        const text = await res.text();
        let parsed: unknown = undefined;
        try {
            parsed = text ? JSON.parse(text) : undefined;
        } catch {
            parsed = text;
        }
        if (!res.ok) throw new ApiError(res.status, parsed);
        return parsed as T;
    }

    get<T = Record<string, unknown>>(path: string, query: Record<string, string | number | undefined> = {}, signal?: AbortSignal): Promise<T> {
        const q = new URLSearchParams();
        for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
        const qs = q.toString();
        return this.request<T>('GET', qs ? `${path}?${qs}` : path, undefined, signal);
    }

    post<T = Record<string, unknown>>(path: string, body: unknown = {}): Promise<T> {
        return this.request<T>('POST', path, body);
    }

    async login(user: string, password: string): Promise<Session> {
        const res = await this.post<{ data: { userId: string; authToken: string; me: { username: string; name?: string } } }>('/api/v1/login', { user, password });
        this.session = { userId: res.data.userId, authToken: res.data.authToken, username: res.data.me.username, name: res.data.me.name };
        return this.session;
    }
}
