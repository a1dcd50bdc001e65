import { type PGlite, type Results, types } from '@electric-sql/pglite';
import { prepareValue } from 'pg/lib/utils.js';
import type {
  BackendMessage,
  CommandCompleteMessage,
  DataRowMessage,
  NotificationResponseMessage,
  RowDescriptionMessage,
} from 'pg-protocol/dist/messages.js';
import { Parser } from 'pg-protocol/dist/parser.js';
import { serialize } from 'pg-protocol/dist/serializer.js';
import { BoundedMap } from '../bounded-map.ts';
import { channelsOf } from './pglite-channels.ts';

/**
 * How many statements each PGlite instance keeps prepared. A few hundred covers every statement the app repeats
 * (Kysely writes a list of n values as n parameters, so one query can have several texts); the least recently used
 * is closed when a new one needs the room, so the plans kept in PGlite's memory stay bounded.
 */
export const KEPT_STATEMENTS = 256;

/** A statement PostgreSQL plans (and so can keep a plan of); anything else is sent unnamed, as before. */
const PLANNABLE = /^\s*(select|insert|update|delete|with)\b/i;

/**
 * An upsert is never kept. PostgreSQL finds the unique index an `on conflict (…) where …` names by proving the
 * clause implies the index's own condition, and a generic plan (no parameter values) cannot prove it when the
 * clause compares with a parameter: the sixth run of such a statement failed with "there is no unique or exclusion
 * constraint matching the ON CONFLICT specification". Sent unnamed, each run is planned with its values.
 */
const UPSERT = /\bon\s+conflict\b/i;

/** What PostgreSQL says when a kept `select *`'s table changed columns (its SQLSTATE, 0A000, says only "not supported"). */
const isPlanOfChangedResult = (error: unknown): boolean =>
  (error as { code?: string }).code === '0A000' &&
  /cached plan must not change result type/.test((error as { message?: string }).message ?? '');

/** The statements one instance has prepared, most recently used last, and the names waiting to be closed. */
class KeptStatements {
  readonly toClose: string[] = [];
  /** By text; the least recently used is dropped for room, and closed with the next batch. */
  readonly names = new BoundedMap<string, string>(KEPT_STATEMENTS, (_text, name) => this.toClose.push(name));
  #counter = 0;

  /** The statement's name, and whether it still has to be prepared (parsed) in this batch. */
  take(text: string): { name: string; isNew: boolean } {
    const name = this.names.get(text);
    if (name !== undefined) {
      // Moved to the end: a Map keeps insertion order, so its first entry is the least recently used.
      this.names.delete(text);
      this.names.set(text, name);
      return { name, isNew: false };
    }
    this.#counter += 1;
    const fresh = `stackable_${this.#counter}`;
    this.names.set(text, fresh);
    return { name: fresh, isNew: true };
  }

  /** Forgets a statement whose batch failed: it may not exist, or hold a plan that no longer fits. */
  forget(text: string, name: string): void {
    if (this.names.get(text) === name) this.names.delete(text);
    // Closing a statement that does not exist is no error, so it is closed whether or not the parse got through.
    this.toClose.push(name);
  }
}

const kept = new WeakMap<PGlite, KeptStatements>();

/**
 * Runs one statement with its parameters on PGlite as a single batch of protocol messages, handed to PostgreSQL in
 * one call, and keeps it prepared so that the next run of the same text neither parses nor (once PostgreSQL judges a
 * generic plan as good as a fresh one, after five runs, as for any prepared statement) plans it again.
 *
 * Why not `pglite.query`: it sends parse, describe, bind, describe, execute and sync one call at a time, the first
 * describe only to pick a converter for each parameter by its type, and parses and plans every statement anew. On
 * a short indexed select that was 0.18 ms of CPU against 0.09 for the single batch and 0.05 once prepared; on a
 * two-table join 0.29 against 0.05 (planning is most of a statement's cost in WebAssembly). The parameters are
 * converted here as node-postgres converts them on the PostgreSQL backend (text, the type left to the server; a
 * Buffer as binary), so both backends read a value alike, and written into messages by node-postgres's writer:
 * PGlite's own counts each string's UTF-8 length in a loop over its characters, twice, where node-postgres asks
 * Node (a 50-row insert of credentials, two 6 KB texts a row: 6.8 ms a bind against 0.9). Rows are read with the
 * instance's own parsers.
 */
export async function runStatement<R>(
  pglite: PGlite,
  text: string,
  values: readonly unknown[],
): Promise<Results<R>> {
  const statements = PLANNABLE.test(text) && !UPSERT.test(text) ? keptFor(pglite) : undefined;
  const taken = statements?.take(text);
  const parts: Uint8Array[] = [];
  if (statements) {
    for (const name of statements.toClose.splice(0)) parts.push(serialize.close({ type: 'S', name }));
  }
  if (!taken || taken.isNew) parts.push(serialize.parse({ text, name: taken?.name ?? '' }));
  parts.push(
    serialize.bind({ statement: taken?.name ?? '', values: values.map((value) => prepareValue(value)) }),
    serialize.describe({ type: 'P' }),
    serialize.execute({}),
    serialize.sync(),
  );
  try {
    return resultOf<R>(await exchange(pglite, Buffer.concat(parts)), pglite.parsers);
  } catch (error) {
    if (!statements || !taken) throw error;
    statements.forget(text, taken.name);
    // A kept plan whose result changed shape (a migration added a column to a `select *`'s table) is prepared
    // again and the statement run once more, unless a transaction was open: that error has already ended it. Only
    // a statement that was already kept can meet it, so the run again (a new statement) never repeats.
    if (!taken.isNew && isPlanOfChangedResult(error) && !pglite.isInTransaction()) {
      return runStatement(pglite, text, values);
    }
    throw error;
  }
}

/**
 * Sends one batch of protocol messages and reads PostgreSQL's reply with node-postgres's reader (`pg-protocol`),
 * the one the PostgreSQL backend reads with, rather than PGlite's: PGlite's copies the reply as it arrives and every
 * text field once more before decoding it, which made reading 800 rows of seven columns 13.8 ms of CPU against 2.5
 * (docs/performance.md). Throws PostgreSQL's error as node-postgres does (a `DatabaseError` with its SQLSTATE
 * `code`, `constraint` and the rest), and hands notifications to the instance's channels (`pglite-channels.ts`).
 */
async function exchange(pglite: PGlite, batch: Uint8Array): Promise<BackendMessage[]> {
  const messages: BackendMessage[] = [];
  const notifications: NotificationResponseMessage[] = [];
  let failure: BackendMessage | undefined;
  const reader = new Parser();
  await pglite.runExclusive(() =>
    pglite.execProtocolRawStream(batch, {
      syncToFs: true,
      // A view of PGlite's memory, written over by the next part of the reply: copied before it is read.
      onRawData: (data) =>
        reader.parse(Buffer.from(data), (message) => {
          if (message.name === 'error') failure ??= message;
          else if (message.name === 'notification')
            notifications.push(message as NotificationResponseMessage);
          else messages.push(message);
        }),
    }),
  );
  if (notifications.length > 0) {
    const channels = channelsOf(pglite);
    for (const { channel, payload } of notifications) channels.deliver(channel, payload);
  }
  if (failure) throw failure;
  return messages;
}

type ValueParser = (value: string, typeId: number) => unknown;

/**
 * The statement's result as PGlite's `parseResults` gives it (rows keyed by column name, each value typed by the
 * instance's parser for its type, else PGlite's default one, NULL as null; the command and the rows it wrote),
 * with each column's parser looked up once rather than for every value, and each row written field by field rather
 * than made from an array of entries. Running a kept `select` of 800 rows of nine columns (uuid, date, text, text[],
 * boolean, bigint, timestamptz) on an in-memory PGlite: 8.3 → 6.7 ms of CPU, medians of eight rounds of 300,
 * alternating, the rows deep-equal (2026-12-07).
 */
function resultOf<R>(messages: readonly BackendMessage[], parsers: Record<number, ValueParser>): Results<R> {
  let fields: { name: string; dataTypeID: number }[] = [];
  let read: (ValueParser | undefined)[] = [];
  const rows: Record<string, unknown>[] = [];
  for (const message of messages) {
    if (message.name === 'rowDescription') {
      fields = (message as RowDescriptionMessage).fields.map(({ name, dataTypeID }) => ({
        name,
        dataTypeID,
      }));
      read = fields.map(({ dataTypeID }) => parsers[dataTypeID] ?? types.parsers[dataTypeID]);
    } else if (message.name === 'dataRow') {
      const values = (message as DataRowMessage).fields;
      const row: Record<string, unknown> = {};
      for (let i = 0; i < fields.length; i++) {
        const value = values[i] ?? null;
        const parse = read[i];
        row[fields[i]!.name] = value === null || !parse ? value : parse(value, fields[i]!.dataTypeID);
      }
      rows.push(row);
    } else if (message.name === 'commandComplete') {
      // "INSERT 0 3", "UPDATE 2", "SELECT 5": the command, and the rows it returned or touched.
      const words = (message as CommandCompleteMessage).text.split(' ');
      const command = words[0]!;
      const count = Number.parseInt(words.at(-1)!, 10);
      const touches = ['INSERT', 'UPDATE', 'DELETE', 'COPY', 'MERGE'].includes(command);
      return {
        rows: rows as R[],
        fields,
        command,
        affectedRows: touches && !Number.isNaN(count) ? count : 0,
        ...(Number.isNaN(count) ? {} : { rowCount: count }),
      };
    }
  }
  return { rows: [], fields: [], affectedRows: 0 } as Results<R>;
}

function keptFor(pglite: PGlite): KeptStatements {
  let statements = kept.get(pglite);
  if (!statements) {
    statements = new KeptStatements();
    kept.set(pglite, statements);
  }
  return statements;
}
