import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CompiledQuery, type PostgresPoolClient, type PostgresQueryResult } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from './database-types.ts';

/**
 * The rows of a `COPY … FROM STDIN`, in PostgreSQL's text format, handed to the connection as the statement's
 * one parameter. Kysely has no COPY and does not show a transaction's connection, so the statement travels like
 * any other query and the connection (see `answeringCopyIn`) recognises it by this parameter.
 */
class CopyInRows {
  constructor(readonly chunks: AsyncIterable<string>) {}
}

/**
 * Runs `statement` (`copy <table> (<columns>) from stdin`) on `db` — the pool or an open transaction — streaming
 * `chunks` (whole lines of COPY text) as they come, so memory holds one chunk whatever the number of rows. An
 * error thrown by `chunks` ends the COPY (the server discards it) and is rethrown as it is. PostgreSQL only: on
 * PGlite the statement fails.
 */
export async function copyIn(db: Db, statement: string, chunks: AsyncIterable<string>): Promise<number> {
  const result = await db.executeQuery<{ copied: number }>(
    CompiledQuery.raw(statement, [new CopyInRows(chunks)]),
  );
  return result.rows[0]?.copied ?? 0;
}

/**
 * One value in COPY's text format: `\N` for null, `t` and `f` for booleans, and backslash, tab, newline and
 * carriage return escaped, the characters that would otherwise end a value or a row.
 */
export function copyValue(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, (c) => ESCAPES[c]!) : value;
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPED = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

const answering = new WeakMap<pg.PoolClient, PostgresPoolClient>();

/**
 * The pool client Kysely is given: the pg client itself for every query, except one carrying `CopyInRows`, which
 * runs as COPY FROM STDIN on the same connection (so inside the caller's transaction). One wrapper per client,
 * since Kysely keeps its connection objects by client.
 */
export function answeringCopyIn(client: pg.PoolClient): PostgresPoolClient {
  let wrapper = answering.get(client);
  if (!wrapper) {
    wrapper = {
      query: ((sqlOrCursor: unknown, parameters?: readonly unknown[]) => {
        const rows = parameters?.[0];
        if (typeof sqlOrCursor === 'string' && rows instanceof CopyInRows) {
          return runCopyIn(client, sqlOrCursor, rows);
        }
        return (client.query as (...args: unknown[]) => unknown)(sqlOrCursor, parameters);
      }) as PostgresPoolClient['query'],
      release: (destroy?: boolean) => client.release(destroy),
    };
    answering.set(client, wrapper);
  }
  return wrapper;
}

async function runCopyIn(
  client: pg.PoolClient,
  statement: string,
  rows: CopyInRows,
): Promise<PostgresQueryResult<{ copied: number }>> {
  const stream = client.query(copyFrom(statement));
  // The pipeline waits for the server to confirm the COPY; a failing source makes the client send CopyFail.
  await pipeline(Readable.from(rows.chunks, { objectMode: false }), stream);
  // Kysely reads only the rows; its list of command tags has no COPY.
  return { command: 'SELECT', rowCount: stream.rowCount, rows: [{ copied: stream.rowCount }] };
}
