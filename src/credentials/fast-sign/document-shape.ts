/**
 * The shape of a JSON-LD document: its structure with every free value taken out. Two documents with
 * the same shape expand to the same RDF graph up to those values, so one template serves both.
 *
 * Structural (kept in the shape): `@context`, `type`/`@type` values (they select scoped contexts and
 * vocabulary terms), booleans, nulls, key names and order, array lengths, and whether each number is
 * an integer or a double in JSON-LD's sense. Free (slots): every other string and number.
 */
import { isJsonLdDouble } from './nquads-terms.ts';

export type SlotValue = string | number;

export interface DocumentShape {
  /** A string equal for two documents exactly when they have the same shape. */
  key: string;
  /** The free values, in document order. */
  slots: SlotValue[];
  /** Every `@context` value in the document, the top-level one first and any embedded ones after. */
  contexts: unknown[];
}

const STRUCTURAL_KEYS = new Set(['@context', 'type', '@type']);

/** Thrown for values JSON-LD would treat specially (undefined, NaN, class instances): no fast path. */
export class UnsupportedShapeError extends Error {}

/** Takes the document apart into its shape and its free values. */
export function describeShape(document: object): DocumentShape {
  const slots: SlotValue[] = [];
  const contexts: unknown[] = [];
  const key = shapeOf(document, slots, contexts);
  return { key, slots, contexts };
}

/*
 * Names and structural strings are written in the key as short tokens, `#` and a number given on first
 * sight: shorter keys hash faster. Once the table is full, new ones are written as JSON strings instead;
 * both forms read back unambiguously (JSON text never holds a bare `#`).
 */
const tokens = new Map<string, string>();
const MAX_TOKENS = 4096;
function token(name: string): string {
  let text = tokens.get(name);
  if (text === undefined) {
    if (tokens.size >= MAX_TOKENS) return JSON.stringify(name);
    text = `#${tokens.size}`;
    tokens.set(name, text);
  }
  return text;
}

function shapeOf(value: unknown, slots: SlotValue[], contexts: unknown[]): string {
  switch (typeof value) {
    case 'string':
      slots.push(value);
      return 's';
    case 'number':
      if (!Number.isFinite(value)) throw new UnsupportedShapeError('A number is not finite.');
      slots.push(value);
      return isJsonLdDouble(value) ? 'd' : 'i';
    case 'boolean':
      return value ? 't' : 'f';
    case 'object': {
      if (value === null) return 'n';
      if (Array.isArray(value)) {
        let text = '[';
        for (let i = 0; i < value.length; i += 1) {
          if (i > 0) text += ',';
          text += shapeOf(value[i], slots, contexts);
        }
        return `${text}]`;
      }
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) {
        throw new UnsupportedShapeError('An object is not plain JSON.');
      }
      let text = '{';
      const record = value as Record<string, unknown>;
      // Object.keys lists own enumerable string keys in the same order Object.entries does.
      for (const name of Object.keys(record)) {
        const field = record[name];
        text += token(name);
        if (name === '@context') contexts.push(field);
        text += STRUCTURAL_KEYS.has(name)
          ? `=${structuralText(field)},`
          : `:${shapeOf(field, slots, contexts)},`;
      }
      return `${text}}`;
    }
    default:
      throw new UnsupportedShapeError(`A value of type ${typeof value} is not JSON.`);
  }
}

/**
 * Where each free value sits: its keys from the root joined with dots, array positions left out
 * (`credentialSubject.achievement.alignment.targetName`), in the order describeShape lists the values.
 */
export function slotPaths(document: object): string[] {
  const paths: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string' || typeof value === 'number') paths.push(path);
    else if (Array.isArray(value)) for (const item of value) walk(item, path);
    else if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      for (const name of Object.keys(record)) {
        if (!STRUCTURAL_KEYS.has(name)) walk(record[name], path === '' ? name : `${path}.${name}`);
      }
    }
  };
  walk(document, '');
  return paths;
}

/**
 * A structural value as text equal for equal values only: a string or a list of strings in tokens, anything
 * else as JSON text. Refuses anything that is not plain JSON (JSON text would hide it).
 */
function structuralText(value: unknown): string {
  if (typeof value === 'string') return token(value);
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i += 1) {
      const item: unknown = value[i];
      // Anything else (a hole too) takes the full check below.
      if (typeof item !== 'string') {
        text = '';
        break;
      }
      text += (i > 0 ? ',' : '') + token(item);
    }
    if (text !== '') return `${text}]`;
  }
  const check = (field: unknown): void => {
    if (field === null || typeof field === 'string' || typeof field === 'boolean') return;
    if (typeof field === 'number' && Number.isFinite(field)) return;
    if (Array.isArray(field)) {
      for (const item of field) check(item);
      return;
    }
    const prototype = typeof field === 'object' ? Object.getPrototypeOf(field) : undefined;
    if (prototype !== Object.prototype && prototype !== null) {
      throw new UnsupportedShapeError('A context or type value is not plain JSON.');
    }
    for (const item of Object.values(field as object)) check(item);
  };
  check(value);
  return JSON.stringify(value);
}

/** Marks the probe's string slots; a slot's placeholder is this prefix followed by its number. */
export const STRING_PLACEHOLDER = 'urn:x-stackable-slot-7f3c:';
/** Integer slot n becomes NUMBER_PLACEHOLDER + n, a double slot NUMBER_PLACEHOLDER + n + 0.5. */
export const NUMBER_PLACEHOLDER = 7_777_000_000;

/**
 * A copy of the document with each free value replaced by a placeholder naming its slot, except the
 * `pinned` slots, which keep their real values (values the template cannot stand in for).
 */
export function buildProbe(document: object, pinned: ReadonlyMap<number, SlotValue>): object {
  let next = 0;
  const replace = (value: unknown): unknown => {
    if (typeof value === 'string' || typeof value === 'number') {
      const slot = next++;
      const real = pinned.get(slot);
      if (real !== undefined) return real;
      if (typeof value === 'string') return `${STRING_PLACEHOLDER}${slot}`;
      return NUMBER_PLACEHOLDER + slot + (isJsonLdDouble(value) ? 0.5 : 0);
    }
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map(replace);
    // fromEntries defines own properties, so even a key named __proto__ is copied as data.
    return Object.fromEntries(
      Object.entries(value).map(([name, field]) => [
        name,
        STRUCTURAL_KEYS.has(name) ? field : replace(field),
      ]),
    );
  };
  return replace(document) as object;
}
