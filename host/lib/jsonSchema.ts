// A small JSON Schema checker for the message custom fields schema (the server compiles that setting with ajv).
// It covers the keywords such schemas use: type (incl. arrays of types), enum, const, properties, required,
// additionalProperties, items, nullable, minLength/maxLength, minimum/maximum, pattern. Unknown keywords are
// ignored (ajv in strict mode would reject the schema instead: keep schemas simple).

export type Schema = {
    type?: string | string[];
    enum?: unknown[];
    const?: unknown;
    properties?: Record<string, Schema>;
    required?: string[];
    additionalProperties?: boolean | Schema;
    items?: Schema;
    nullable?: boolean;
    minLength?: number;
    maxLength?: number;
    minimum?: number;
    maximum?: number;
    pattern?: string;
};

function typeOf(value: unknown): string {
    if (value === null) return 'null';
    if (Array.isArray(value)) return 'array';
    if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
    return typeof value;
}

function typeMatches(expected: string, actual: string): boolean {
    return expected === actual || (expected === 'number' && actual === 'integer');
}

export function validate(schema: Schema, value: unknown): boolean {
    if (value === null && schema.nullable) {
        return true;
    }
    if (schema.type !== undefined) {
        const types = Array.isArray(schema.type) ? schema.type : [schema.type];
        if (!types.some((t) => typeMatches(t, typeOf(value)))) {
            return false;
        }
    }
    if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
        return false;
    }
    if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) {
        return false;
    }
    if (typeof value === 'string') {
        if (schema.minLength !== undefined && value.length < schema.minLength) return false;
        if (schema.maxLength !== undefined && value.length > schema.maxLength) return false;
        if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) return false;
    }
    if (typeof value === 'number') {
        if (schema.minimum !== undefined && value < schema.minimum) return false;
        if (schema.maximum !== undefined && value > schema.maximum) return false;
    }
    if (Array.isArray(value) && schema.items) {
        const items = schema.items;
        if (!value.every((v) => validate(items, v))) return false;
    }
    if (typeOf(value) === 'object') {
        const obj = value as Record<string, unknown>;
        for (const key of schema.required ?? []) {
            if (!Object.prototype.hasOwnProperty.call(obj, key)) return false;
        }
        for (const key of Object.keys(obj)) {
            const prop = schema.properties?.[key];
            if (prop) {
                if (!validate(prop, obj[key])) return false;
            } else if (schema.additionalProperties === false) {
                return false;
            } else if (typeof schema.additionalProperties === 'object' && !validate(schema.additionalProperties, obj[key])) {
                return false;
            }
        }
    }
    return true;
}
