// node-postgres's own conversion of a JavaScript value into a statement parameter (its `lib/utils.js`, which the
// package exports but @types/pg does not describe). Only the one function used here.
declare module 'pg/lib/utils.js' {
  /** A parameter as node-postgres sends it: null, a Buffer (sent as binary), or text. */
  export function prepareValue(value: unknown): null | string | Buffer;
}
