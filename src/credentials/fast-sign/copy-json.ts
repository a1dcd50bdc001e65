/**
 * A deep copy of a JSON value, as structuredClone would make it but several times faster for the plain
 * objects, arrays and primitives credentials are made of. Anything else in it (a Date, a Map, a hole in an
 * array, a key named __proto__) makes the whole copy go through structuredClone, which knows those.
 */
export function copyJson<T>(value: T): T {
  const copy = copyPlain(value);
  return (copy === NOT_PLAIN ? structuredClone(value) : copy) as T;
}

const NOT_PLAIN = Symbol('not plain JSON');

function copyPlain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    // structuredClone refuses functions and symbols; leave those to it, to refuse them the same way.
    return typeof value === 'function' || typeof value === 'symbol' ? NOT_PLAIN : value;
  }
  if (Array.isArray(value)) {
    const list: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i += 1) {
      if (!(i in value)) return NOT_PLAIN;
      const item = copyPlain(value[i]);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      list[i] = item;
    }
    return list;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return NOT_PLAIN;
  const record = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const name of Object.keys(record)) {
    if (name === '__proto__') return NOT_PLAIN;
    const field = copyPlain(record[name]);
    if (field === NOT_PLAIN) return NOT_PLAIN;
    result[name] = field;
  }
  return result;
}
