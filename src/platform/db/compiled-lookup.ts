import type { Compilable, CompiledQuery } from 'kysely';
import type { Db } from './database.ts';

/** Stands for the key while the query is compiled; the compiled query must carry it as its one parameter. */
const KEY = '\u0000compiled-lookup-key';

/**
 * A lookup by one key whose SQL never changes, built and compiled by Kysely once and then run with each key as its
 * parameter. On a badge page Kysely's building and compiling of two primary-key lookups cost more app CPU than
 * reading their results (about 0.2 ms a page on the loaded two-core machine). The query is the builder's own: the
 * same SQL, plugins and result handling as `executeTakeFirst`, on the database or inside a transaction.
 */
export class CompiledLookup<Row> {
  #compiled: CompiledQuery<Row> | undefined;

  constructor(private readonly build: (db: Db, key: string) => Compilable<Row>) {}

  /** The first row for the key, or undefined. */
  async first(db: Db, key: string): Promise<Row | undefined> {
    this.#compiled ??= compileOnceFor(this.build(db, KEY), KEY);
    const compiled = this.#compiled;
    const { rows } = await db.executeQuery<Row>({ ...compiled, parameters: [key] });
    return rows[0];
  }
}

function compileOnceFor<Row>(query: Compilable<Row>, placeholder: unknown): CompiledQuery<Row> {
  const compiled = query.compile();
  // Any other parameter would be frozen into every run: refuse such a query rather than answer for the wrong key.
  if (compiled.parameters.length !== 1 || compiled.parameters[0] !== placeholder) {
    throw new Error('A compiled lookup takes exactly one parameter, its key.');
  }
  return compiled;
}

/** Stands for the keys while the query is compiled: compared by identity, so no caller's array can be taken for it. */
const KEYS: readonly string[] = ['\u0000compiled-lookup-keys'];

/**
 * A lookup of many keys at once (`where id = any(${keys}::uuid[])`), built and compiled once like CompiledLookup, for
 * reads that requests running together share (read-together.ts): the keys travel as one array parameter, so the SQL
 * is the same whatever their number.
 */
export class CompiledBatchLookup<Row> {
  #compiled: CompiledQuery<Row> | undefined;

  constructor(private readonly build: (db: Db, keys: readonly string[]) => Compilable<Row>) {}

  /** The rows found for the keys, in no particular order; a key with no row has none. */
  async rows(db: Db, keys: readonly string[]): Promise<Row[]> {
    this.#compiled ??= compileOnceFor(this.build(db, KEYS), KEYS);
    const compiled = this.#compiled;
    const { rows } = await db.executeQuery<Row>({ ...compiled, parameters: [keys] });
    return rows;
  }
}
