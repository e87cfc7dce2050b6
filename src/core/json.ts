export type JsonPrimitive = string | number | boolean;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
    [key: string]: JsonValue;
}

/**
 * JSON as it arrives on the wire, `null` included. Stored values never hold `null`, but merge patches
 * (where `null` means "remove") and RFC 7396 targets do.
 */
export type NullableJsonValue = null | JsonPrimitive | NullableJsonValue[] | { [key: string]: NullableJsonValue };
