// Checks answers of the app against its OpenAPI 3.1 document, with @hyperjump/json-schema: it validates an
// OpenAPI 3.1 document against the official schema (every Schema Object against the OAS 3.1 dialect, i.e. JSON
// Schema 2020-12 plus OpenAPI's vocabulary), and values against the schemas inside it. Shared by the unit test
// (test/http/openapi.test.ts) and the end-to-end test against the packaged app (test/e2e/surfaces/openapi.test.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { setShouldValidateFormat, validate, type Output, type OutputUnit, type Validator } from '@hyperjump/json-schema/openapi-3-1';
import '@hyperjump/json-schema/formats-lite'; // checks `format` (date-time) where setShouldValidateFormat asks for it

export const OAS_31_SCHEMA = 'https://spec.openapis.org/oas/3.1/schema-base';

type Node = Record<string, unknown>;

/** An answer as a client sees it: the body parsed as JSON where it is JSON (undefined when empty). */
export interface Answer {
    status: number;
    headers: Headers | Record<string, string | undefined>;
    body: unknown;
}

/** `GET` in `/metadata/{ns}/{id}`: the operation an answer belongs to. */
export interface OperationRef {
    path: string;
    method: string;
}

function headerOf(headers: Answer['headers'], name: string): string | undefined {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase());
    return found?.[1];
}

const escapeToken = (token: string) => encodeURIComponent(token.replace(/~/g, '~0').replace(/\//g, '~1'));

/** The problems in a validator's output, readable. */
function problems(output: Output): string[] {
    if (output.valid) return [];
    const flat = (units: OutputUnit[] = []): OutputUnit[] => units.flatMap((unit) => [unit, ...flat(unit.errors)]);
    return flat(output.errors).map((unit) => `${unit.instanceLocation}: ${unit.keyword.split('/').pop()} (${unit.absoluteKeywordLocation.split('#')[1]})`);
}

export class OpenApiChecker {
    private readonly validators = new Map<string, Validator>();

    private constructor(readonly doc: Node, private readonly url: string) {}

    /**
     * Keeps the document in a temporary `*.openapi.json` file: @hyperjump/json-schema reads a file of that name as
     * an OpenAPI document, so the `$ref`s inside its schemas resolve within it.
     */
    static create(doc: Node): OpenApiChecker {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metadata-store-openapi-'));
        const file = path.join(dir, 'served.openapi.json');
        fs.writeFileSync(file, JSON.stringify(doc));
        setShouldValidateFormat(true);
        return new OpenApiChecker(doc, pathToFileURL(file).href);
    }

    /** The problems the official OpenAPI 3.1 schema finds in the document (none: valid). */
    async documentProblems(): Promise<string[]> {
        return problems(await validate(OAS_31_SCHEMA, this.doc as never, 'BASIC'));
    }

    /** The node at a JSON pointer (tokens), following a `$ref` where it stands; with its resolved pointer. */
    resolve(tokens: string[]): { node: Node | undefined; pointer: string[] } {
        let node: unknown = this.doc;
        let pointer: string[] = [];
        for (const token of tokens) {
            ({ node, pointer } = this.follow(node, pointer));
            node = (node as Node | undefined)?.[token];
            pointer = [...pointer, token];
        }
        return this.follow(node, pointer) as { node: Node | undefined; pointer: string[] };
    }

    private follow(node: unknown, pointer: string[]): { node: unknown; pointer: string[] } {
        while (node && typeof node === 'object' && typeof (node as Node).$ref === 'string' && ((node as Node).$ref as string).startsWith('#/components/')) {
            pointer = ((node as Node).$ref as string).slice(2).split('/');
            node = pointer.reduce<unknown>((at, token) => (at as Node | undefined)?.[token], this.doc);
        }
        return { node, pointer };
    }

    private async valueProblems(pointer: string[], value: unknown): Promise<string[]> {
        const uri = `${this.url}#/${pointer.map(escapeToken).join('/')}`;
        let validator = this.validators.get(uri);
        if (!validator) {
            validator = await validate(uri);
            this.validators.set(uri, validator);
        }
        return problems(validator(value as never, 'BASIC'));
    }

    /** What in a request body the operation's requestBody schema refuses. */
    async requestProblems(op: OperationRef, body: unknown): Promise<string[]> {
        const { node, pointer } = this.resolve(['paths', op.path, op.method.toLowerCase(), 'requestBody']);
        if (!node) return [`${op.method} ${op.path} takes no request body`];
        return this.valueProblems([...pointer, 'content', 'application/json', 'schema'], body);
    }

    /**
     * What in an answer the document does not describe: its status must be listed for the operation (no
     * `default`), the required headers present and valid, the body of a media type listed, matching its schema,
     * and absent where the document gives no content.
     */
    async answerProblems(op: OperationRef, answer: Answer): Promise<string[]> {
        const where = `${op.method} ${op.path} → ${answer.status}`;
        const opTokens = ['paths', op.path, op.method.toLowerCase()];
        if (!this.resolve(opTokens).node) return [`${where}: the document has no such operation`];
        const { node: response, pointer } = this.resolve([...opTokens, 'responses', String(answer.status)]);
        if (!response) return [`${where}: status not documented for the operation`];
        const found: string[] = [];
        for (const name of Object.keys((response.headers as Node | undefined) ?? {})) {
            const header = this.resolve([...pointer, 'headers', name]);
            const value = headerOf(answer.headers, name);
            if (value === undefined) {
                if (header.node?.required) found.push(`${where}: header ${name} missing`);
                continue;
            }
            const typed = (header.node?.schema as Node | undefined)?.type === 'integer' && /^-?\d+$/.test(value) ? Number(value) : value;
            found.push(...(await this.valueProblems([...header.pointer, 'schema'], typed)).map((p) => `${where}: header ${name}=${value}: ${p}`));
        }
        const content = response.content as Node | undefined;
        const empty = answer.body === undefined || answer.body === '';
        if (!content) {
            if (!empty) found.push(`${where}: the document gives no body, the answer has ${JSON.stringify(answer.body).slice(0, 200)}`);
            return found;
        }
        const type = (headerOf(answer.headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
        if (!(type in content)) return [...found, `${where}: media type ${JSON.stringify(type)} not documented (${Object.keys(content).join(', ')})`];
        // A text body (NDJSON) may be empty: the empty text, which its schema judges.
        const body = type === 'application/json' ? answer.body : empty ? '' : String(answer.body);
        found.push(...(await this.valueProblems([...pointer, 'content', type, 'schema'], body)).map((p) => `${where}: ${p} in ${JSON.stringify(answer.body).slice(0, 300)}`));
        return found;
    }
}
