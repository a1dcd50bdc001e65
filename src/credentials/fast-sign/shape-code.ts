/**
 * The hot path's reading of a document: one walk that takes its free values (as describeShape does), writes
 * its shape as a list of numbers instead of a text key, and, for the signer, copies it. Looking a shape up
 * by numbers costs no string building and no hashing of a 400-character key; reading each property once
 * also means the copy that is signed and the values canonicalized come from the same reads.
 *
 * It covers the usual documents only and declines the rest (answers undefined): anything describeShape or
 * copyJson treat specially (values that are not plain JSON, holes, a key named __proto__), a `@context`,
 * `type` or `@type` that is not a string or a list of strings, and new names once its table is full. A
 * declined document takes describeShape and copyJson as before, so declining costs speed, never bytes.
 */
import type { SlotValue } from './document-shape.ts';
import { isJsonLdDouble } from './nquads-terms.ts';

export interface ShapeReading {
  /** The free values, in document order: the same list describeShape gives. */
  slots: SlotValue[];
  /** The shape: equal for two documents exactly when describeShape's keys are. */
  code: number[];
  /** A hash of `code`. */
  hash: number;
  /** The copy, when one was asked for: plain objects and arrays, as copyJson makes them. */
  copy: object | undefined;
}

// Markers below FIRST_NAME; names and structural strings are numbered from it. Every object ends with
// OBJECT_END and every list starts with its length, so two codes are equal only for equal shapes.
const STRING = 1;
const INTEGER = 2;
const DOUBLE = 3;
const TRUE = 4;
const FALSE = 5;
const NULL = 6;
const LIST = 7;
const OBJECT = 8;
const OBJECT_END = 9;
const STRUCTURAL_STRING = 10;
const FIRST_NAME = 16;

/** Names and structural strings seen; a new one past the limit declines the document. */
const MAX_NAMES = 8192;
const names = new Map<string, number>();

function nameCode(name: string): number {
  let code = names.get(name);
  if (code === undefined) {
    if (names.size >= MAX_NAMES) return -1;
    code = FIRST_NAME + names.size;
    names.set(name, code);
  }
  return code;
}

class Declined extends Error {}
const DECLINED = new Declined();

// The reading under way (a walk is synchronous, so one of each will do).
let code: number[] = [];
let slots: SlotValue[] = [];

/** Reads a document's shape and free values, copying it when `copy` is true; undefined when it declines. */
export function readShape(document: object, copy: boolean): ShapeReading | undefined {
  code = [];
  slots = [];
  let copied: unknown;
  try {
    copied = copy ? copyValue(document) : readValue(document);
  } catch (error) {
    if (error === DECLINED) return undefined;
    throw error;
  }
  let hash = 0x811c9dc5;
  for (let i = 0; i < code.length; i += 1) hash = Math.imul(hash ^ code[i]!, 0x01000193);
  return { slots, code, hash, copy: copy ? (copied as object) : undefined };
}

const isStructural = (name: string): boolean => name === '@context' || name === 'type' || name === '@type';

/** Codes a structural value (a string or a list of strings) and gives it back, copied when asked. */
function structural(value: unknown, copy: boolean): unknown {
  if (typeof value === 'string') {
    code.push(STRUCTURAL_STRING, named(value));
    return value;
  }
  if (!Array.isArray(value)) throw DECLINED;
  code.push(LIST, value.length);
  for (let i = 0; i < value.length; i += 1) {
    const item: unknown = value[i];
    // A hole reads as undefined, so it declines here too.
    if (typeof item !== 'string') throw DECLINED;
    code.push(named(item));
  }
  return copy ? value.slice() : value;
}

function named(name: string): number {
  const found = nameCode(name);
  if (found < 0) throw DECLINED;
  return found;
}

function leaf(value: unknown): void {
  switch (typeof value) {
    case 'string':
      slots.push(value);
      code.push(STRING);
      return;
    case 'number':
      if (!Number.isFinite(value)) throw DECLINED;
      slots.push(value);
      code.push(isJsonLdDouble(value) ? DOUBLE : INTEGER);
      return;
    case 'boolean':
      code.push(value ? TRUE : FALSE);
      return;
    default:
      if (value !== null) throw DECLINED;
      code.push(NULL);
  }
}

/** Whether an object is plain JSON: its prototype Object.prototype or null. */
function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function readValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    leaf(value);
    return value;
  }
  if (Array.isArray(value)) {
    code.push(LIST, value.length);
    for (let i = 0; i < value.length; i += 1) {
      if (!(i in value)) throw DECLINED;
      readValue(value[i]);
    }
    return value;
  }
  if (!isPlainObject(value)) throw DECLINED;
  code.push(OBJECT);
  const record = value as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    if (name === '__proto__') throw DECLINED;
    code.push(named(name));
    const field = record[name];
    if (isStructural(name)) structural(field, false);
    else readValue(field);
  }
  code.push(OBJECT_END);
  return value;
}

/** readValue, also giving a copy made from the same reads. */
function copyValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    leaf(value);
    return value;
  }
  if (Array.isArray(value)) {
    code.push(LIST, value.length);
    const list: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i += 1) {
      if (!(i in value)) throw DECLINED;
      list[i] = copyValue(value[i]);
    }
    return list;
  }
  if (!isPlainObject(value)) throw DECLINED;
  code.push(OBJECT);
  const record = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const name of Object.keys(record)) {
    if (name === '__proto__') throw DECLINED;
    code.push(named(name));
    const field = record[name];
    result[name] = isStructural(name) ? structural(field, true) : copyValue(field);
  }
  code.push(OBJECT_END);
  return result;
}

/** Shape keys (describeShape's) by code, for the shapes a canonicalizer has met; the oldest dropped first. */
export class ShapeKeys {
  readonly #byHash = new Map<number, Array<{ code: Float64Array; key: string }>>();
  #count = 0;

  constructor(private readonly capacity: number) {}

  /** The key of the shape read, if known. */
  find(reading: ShapeReading): string | undefined {
    const known = this.#byHash.get(reading.hash);
    if (known === undefined) return undefined;
    for (const entry of known) if (sameCode(entry.code, reading.code)) return entry.key;
    return undefined;
  }

  /** Remembers the key of the shape read (describeShape's key for the same document). */
  remember(reading: ShapeReading, key: string): void {
    if (this.find(reading) !== undefined) return;
    if (this.#count >= this.capacity) {
      const oldest = this.#byHash.keys().next().value;
      if (oldest !== undefined) {
        this.#count -= this.#byHash.get(oldest)!.length;
        this.#byHash.delete(oldest);
      }
    }
    const entries = this.#byHash.get(reading.hash) ?? [];
    entries.push({ code: Float64Array.from(reading.code), key });
    this.#byHash.set(reading.hash, entries);
    this.#count += 1;
  }
}

function sameCode(known: Float64Array, code: readonly number[]): boolean {
  if (known.length !== code.length) return false;
  for (let i = 0; i < code.length; i += 1) if (known[i] !== code[i]) return false;
  return true;
}
