import type { PGlite } from '@electric-sql/pglite';
import type { DataFolderImage } from '../../src/platform/db/data-folder-image.ts';
import type { MemoryDatabase } from '../../src/platform/db/database.ts';
import { channelsOf } from '../../src/platform/db/pglite-channels.ts';
import { memoryDatabaseOn, startMemoryPglite } from '../../src/platform/db/pglite-database.ts';

/**
 * In-memory PGlite instances lent to one test file after another within a shard, each put back as it was started
 * from its image before it is lent again.
 *
 * Why: starting an instance costs about a quarter of a second of CPU on its own, and in a shard two to three times
 * that, because its 128 MB of WebAssembly memory counts as external memory to V8, and so each start sets off a full
 * collection of the shard's heap. Putting an instance back (every row deleted, the image's rows copied in again,
 * its sequences set back) costs a few hundredths of a second, mostly for the tables the file wrote to (`Marks`).
 *
 * What the image holds is read once per image: its tables' rows (COPY), its sequences, and a fingerprint of its
 * schema, which a put-back works out again only when the catalogs' marks moved. An instance whose schema a file
 * changed (a migration, a table of its own), that a file closed, or that cannot be put back (an open transaction) is
 * closed instead of lent again, as every instance was before. A shard keeps two put-back instances waiting at most
 * (`KEPT`): each holds its WebAssembly memory whether lent or not.
 */
export class PglitePool {
  /** What each image's instances are put back to, read from the first instance started from it. */
  readonly #baselines = new Map<DataFolderImage, Promise<Baseline>>();
  /** Put-back instances waiting to be lent, the longest waiting first. */
  readonly #idle: { image: DataFolderImage; pglite: PGlite }[] = [];
  /** Each lent instance's marks when it last matched its image (see `Marks`). */
  readonly #marks = new WeakMap<PGlite, Marks>();

  /** A database started from `image`: an instance put back after an earlier file, or a new one. */
  async open(image: DataFolderImage): Promise<MemoryDatabase> {
    const pglite = this.#takeIdle(image) ?? (await this.#start(image));
    return memoryDatabaseOn(pglite, (lent) => this.#giveBack(image, lent));
  }

  /** Closes every instance waiting to be lent (at the shard's end). */
  async close(): Promise<void> {
    await Promise.all(this.#idle.splice(0).map((entry) => closeQuietly(entry.pglite)));
  }

  /** The put-back instance of `image` that waited least, taken from the idle ones. */
  #takeIdle(image: DataFolderImage): PGlite | undefined {
    for (let index = this.#idle.length - 1; index >= 0; index--) {
      const entry = this.#idle[index];
      if (entry?.image === image) {
        this.#idle.splice(index, 1);
        return entry.pglite;
      }
    }
    return undefined;
  }

  async #start(image: DataFolderImage): Promise<PGlite> {
    const pglite = await startMemoryPglite(image);
    let baseline = this.#baselines.get(image);
    if (!baseline) {
      // The first instance is read before anyone writes to it: what every later one is put back to.
      baseline = readBaseline(pglite);
      this.#baselines.set(image, baseline);
    }
    await baseline;
    return pglite;
  }

  async #giveBack(image: DataFolderImage, pglite: PGlite): Promise<void> {
    if (pglite.closed) return;
    const baseline = await this.#baselines.get(image);
    // A new instance holds what its image holds, so it carries the image's marks.
    const putBackMarks =
      baseline !== undefined
        ? await putBack(pglite, baseline, this.#marks.get(pglite) ?? baseline.marks).catch(() => undefined)
        : undefined;
    if (putBackMarks === undefined) return closeQuietly(pglite);
    this.#marks.set(pglite, putBackMarks);
    this.#idle.push({ image, pglite });
    // Each instance holds at least 128 MB: the one that has waited longest goes.
    const longest = this.#idle.length > KEPT ? this.#idle.shift() : undefined;
    if (longest) await closeQuietly(longest.pglite);
  }
}

/**
 * How many put-back instances a shard keeps, whatever their images: enough for the next file whatever it asks for
 * (most start from the same image, and few hold two databases at once), without a shard holding an idle
 * instance of every image the run has.
 */
const KEPT = 2;

async function closeQuietly(pglite: PGlite): Promise<void> {
  if (!pglite.closed) await pglite.close().catch(() => undefined);
}

/** What an instance started from an image holds, to put another instance back to it. */
interface Baseline {
  /** Every table of ours and pg-boss's (partitioned ones as their parent), schema-qualified and quoted. */
  readonly tables: readonly string[];
  /** Those of `tables` that are partitioned: deleted whole, where any other is deleted from by itself (`only`). */
  readonly partitioned: ReadonlySet<string>;
  /** The rows of the tables that have any, as COPY wrote them, with the columns COPY can write back. */
  readonly rows: readonly { table: string; columns: string; copy: Blob }[];
  /** Each sequence with the value it had (null when it had never been used) and its first value. */
  readonly sequences: readonly { name: string; value: string | null; start: string }[];
  readonly fingerprint: string;
  /** The image's own marks (see `Marks`). */
  readonly marks: Marks;
}

/**
 * What shows cheaply what a file changed, to put back only that.
 *
 * The schema: the row count and the newest `xmin` of each catalog the fingerprint reads. Any committed insert, update
 * or delete of a catalog row moves one of the two (a new row version carries a transaction id newer than every row
 * written before it: the instance has one session, and it is put back only outside a transaction); VACUUM and
 * ANALYZE update the catalogs in place and move neither. Marks that did not move spare the fingerprint, which took
 * about two thirds of a put-back (35–55 ms against 9–12 ms for the marks). They move for more than the fingerprint
 * sees (a session's first temporary table leaves its schema's rows behind), which costs one fingerprint more.
 *
 * The tables: how many rows of each this instance has inserted, updated or deleted (`writes`), from PostgreSQL's
 * statistics, which count every such row, committed or rolled back. They do not count a TRUNCATE (which also drops
 * the counts of its own transaction's earlier writes), nor a table rewritten (CLUSTER, VACUUM FULL); both give the
 * table a new file, which is written in `pg_class`, so the schema's marks move, and then every table is put back. A
 * file that resets the statistics moves the database's reset time, which is in the marks too, with the same result.
 * Not seen: writes made with `track_counts` off (no test turns it off).
 */
interface Marks {
  readonly catalogs: string;
  readonly writes: ReadonlyMap<string, string>;
}

/** The catalogs the fingerprint reads, whose rows a change of schema writes. */
const FINGERPRINTED_CATALOGS = [
  'pg_class',
  'pg_attribute',
  'pg_attrdef',
  'pg_constraint',
  'pg_index',
  'pg_proc',
  'pg_trigger',
  'pg_rewrite',
  'pg_policy',
  'pg_authid',
  'pg_db_role_setting',
  'pg_extension',
  'pg_namespace',
  'pg_type',
  'pg_enum',
  'pg_sequence',
];

async function readMarks(pglite: PGlite): Promise<Marks> {
  const catalogs = await pglite.query<{ marks: string }>(
    `select concat_ws(', ', ${FINGERPRINTED_CATALOGS.map(
      (catalog) =>
        `(select '${catalog} ' || count(*) || ':' || coalesce(max(xmin::text::bigint), 0) from pg_catalog.${catalog})`,
    ).join(', ')}, 'statistics reset ' || (select pg_stat_get_db_stat_reset_time(oid) from pg_database
      where datname = current_database())) as marks`,
  );
  return { catalogs: catalogs.rows[0]?.marks ?? '', writes: await readWrites(pglite) };
}

/** Each table's rows written so far (see `Marks`), a partitioned table's partitions counted in it. */
async function readWrites(pglite: PGlite): Promise<Map<string, string>> {
  // A session's counts reach the statistics when it is next idle, or at once after this.
  await pglite.exec('select pg_stat_force_next_flush()');
  const writes = await pglite.query<{ name: string; writes: string }>(
    `select format('%I.%I', n.nspname, r.relname) as name, sum(pg_stat_get_tuples_inserted(c.oid)
       + pg_stat_get_tuples_updated(c.oid) + pg_stat_get_tuples_deleted(c.oid))::text as writes
     from pg_class c join pg_class r on r.oid = coalesce(pg_partition_root(c.oid), c.oid)
       join pg_namespace n on n.oid = r.relnamespace
     where c.relkind = 'r' and ${OURS} group by 1`,
  );
  return new Map(writes.rows.map((row) => [row.name, row.writes]));
}

/**
 * Tables and sequences outside PostgreSQL's own schemas (`pg_` is reserved to it: its catalog, TOAST tables, and
 * the schemas of a session's temporary tables, made when the first is and left behind when they go).
 */
const OURS = `n.nspname !~ '^(pg_|information_schema$)'`;

async function readBaseline(pglite: PGlite): Promise<Baseline> {
  const tables = await pglite.query<{ name: string; columns: string; partitioned: boolean }>(
    `select format('%I.%I', n.nspname, c.relname) as name, c.relkind = 'p' as partitioned,
       (select string_agg(format('%I', a.attname), ', ' order by a.attnum) from pg_attribute a
         where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = '') as columns
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p') and not c.relispartition and ${OURS} order by 1`,
  );
  const rows: { table: string; columns: string; copy: Blob }[] = [];
  for (const { name, columns, partitioned } of tables.rows) {
    const found = await pglite.query(`select from ${name} limit 1`);
    if (found.rows.length === 0) continue;
    // COPY reads a partitioned table only through a query; it writes into one directly.
    const source = partitioned ? `(select ${columns} from ${name})` : `${name} (${columns})`;
    const copied = await pglite.query(`copy ${source} to '/dev/blob'`);
    if (!copied.blob) throw new Error(`COPY of ${name} gave no data`);
    rows.push({ table: name, columns, copy: copied.blob });
  }
  const sequences = await pglite.query<{ name: string; value: string | null; start: string }>(
    `select format('%I.%I', n.nspname, c.relname) as name, pg_sequence_last_value(c.oid)::text as value,
       s.seqstart::text as start
     from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_sequence s on s.seqrelid = c.oid
     where c.relkind = 'S' and ${OURS}`,
  );
  await refuseTriggersThatOutliveReplicaRole(pglite);
  return {
    tables: tables.rows.map((t) => t.name),
    partitioned: new Set(tables.rows.filter((t) => t.partitioned).map((t) => t.name)),
    rows,
    sequences: sequences.rows,
    fingerprint: await fingerprint(pglite),
    marks: await readMarks(pglite),
  };
}

/**
 * Putting an instance back deletes and copies rows with triggers and rules off (`session_replication_role =
 * replica`): the audit log refuses deletes, and the learner counts would count the copied rows twice. A trigger or
 * rule enabled ALWAYS would still fire, and the instance would not be what the image held.
 */
async function refuseTriggersThatOutliveReplicaRole(pglite: PGlite): Promise<void> {
  const always = await pglite.query<{ name: string }>(
    `select tgname as name from pg_trigger where tgenabled in ('A', 'R')
     union all select rulename from pg_rewrite where ev_enabled in ('A', 'R')`,
  );
  if (always.rows.length > 0) {
    throw new Error(
      `Cannot put test databases back: ${always.rows.map((r) => r.name).join(', ')} fire always`,
    );
  }
}

/**
 * Everything about the schema a test file could change that deleting and copying rows would not put back: tables
 * and their columns, constraints, indexes, functions, triggers and rules, roles, settings, extensions, enum values
 * and sequences' parameters. Not comments, default privileges or large objects: no test makes them.
 */
function fingerprint(pglite: PGlite): Promise<string> {
  return pglite
    .query<{ fingerprint: string }>(
      `select md5(string_agg(entry, E'\\n' order by entry)) as fingerprint from (
        select concat_ws(' ', 'relation', c.oid::regclass, c.relkind, c.reloptions, c.relacl, c.relrowsecurity)
          as entry from pg_class c join pg_namespace n on n.oid = c.relnamespace where ${OURS}
        union all select concat_ws(' ', 'column', a.attrelid::regclass, a.attname, format_type(a.atttypid,
            a.atttypmod), a.attnotnull, a.attnum, a.attgenerated, pg_get_expr(d.adbin, d.adrelid))
          from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
          left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
          where ${OURS} and a.attnum > 0 and not a.attisdropped
        union all select concat_ws(' ', 'constraint', conrelid::regclass, conname, pg_get_constraintdef(oid))
          from pg_constraint where connamespace <> 'pg_catalog'::regnamespace
        union all select concat_ws(' ', 'index', indexrelid::regclass, pg_get_indexdef(indexrelid)) from pg_index
          where indrelid >= 16384
        union all select concat_ws(' ', 'function', p.oid::regprocedure, md5(p.prosrc), p.proconfig)
          from pg_proc p join pg_namespace n on n.oid = p.pronamespace where ${OURS}
        union all select concat_ws(' ', 'trigger', tgrelid::regclass, tgname, tgenabled, tgfoid::regprocedure)
          from pg_trigger
        union all select concat_ws(' ', 'rule', ev_class::regclass, rulename, ev_enabled, md5(ev_action::text))
          from pg_rewrite where ev_class >= 16384
        union all select concat_ws(' ', 'policy', polrelid::regclass, polname) from pg_policy
        union all select concat_ws(' ', 'role', rolname, rolsuper, rolcanlogin) from pg_roles
        union all select concat_ws(' ', 'setting', setdatabase, setrole, setconfig) from pg_db_role_setting
        union all select concat_ws(' ', 'extension', extname, extversion) from pg_extension
        union all select concat_ws(' ', 'schema', nspname, nspacl) from pg_namespace n where ${OURS}
        union all select concat_ws(' ', 'type', oid::regtype) from pg_type where oid >= 16384
        union all select concat_ws(' ', 'enum', enumtypid::regtype, enumlabel, enumsortorder) from pg_enum
        union all select concat_ws(' ', 'sequence', seqrelid::regclass, seqtypid::regtype, seqstart, seqincrement,
          seqmin, seqmax, seqcache, seqcycle) from pg_sequence
      ) entries`,
    )
    .then((result) => result.rows[0]?.fingerprint ?? '');
}

/**
 * Puts an instance back to its image: the session as new (its settings, LISTENs, advisory locks, temporary tables
 * and cursors), the rows of every table the file wrote to deleted and the image's copied in, the sequences as they
 * were. `marks` are the instance's when it last matched its image; returns its marks now. Throws when the instance
 * cannot be put back: an open transaction, or a schema that is no longer the image's.
 *
 * Rows are deleted, not truncated: TRUNCATE gives every table and index a new file, a tenth of a second for a
 * hundred tables however few rows they hold; the dead rows left behind are few (test data), and the statements the
 * instance keeps prepared (pglite-statement.ts) stay valid. Nothing here writes a catalog row (a sequence never used
 * is set back by `setval`, not by `alter sequence … restart`, which gives it a new file), so the schema's marks read
 * before the rows are put back are the instance's marks after.
 */
async function putBack(pglite: PGlite, baseline: Baseline, marks: Marks): Promise<Marks> {
  // A file that ended inside a transaction left a state that is not worth repairing.
  if (pglite.isInTransaction()) throw new Error('a transaction is still open');
  await pglite.exec(
    'reset all; unlisten *; select pg_advisory_unlock_all(); close all; discard temp; discard sequences',
  );
  channelsOf(pglite).clear();
  const now = await readMarks(pglite);
  const schemaMoved = now.catalogs !== marks.catalogs;
  if (schemaMoved && (await fingerprint(pglite)) !== baseline.fingerprint)
    throw new Error('the schema changed');
  const changed = new Set(
    baseline.tables.filter((table) => schemaMoved || now.writes.get(table) !== marks.writes.get(table)),
  );
  await pglite.exec(
    [
      'begin',
      'set local session_replication_role = replica',
      // Only the table's own rows: a table inheriting from it is one of `tables`, put back when it was written to.
      ...[...changed].map((table) =>
        baseline.partitioned.has(table) ? `delete from ${table}` : `delete from only ${table}`,
      ),
    ].join(';\n'),
  );
  try {
    for (const { table, columns, copy } of baseline.rows) {
      if (!changed.has(table)) continue;
      await pglite.query(`copy ${table} (${columns}) from '/dev/blob'`, [], { blob: copy });
    }
    for (const { name, value, start } of baseline.sequences) {
      // Never used: the next value is its first again.
      await pglite.query(`select setval('${name}', ${value ?? start}, ${value !== null})`);
    }
    await pglite.exec('commit');
  } catch (error) {
    await pglite.exec('rollback').catch(() => undefined);
    throw error;
  }
  // Without checkpoints PostgreSQL keeps every WAL segment until a gigabyte of them, all in this process's memory.
  await pglite.exec('checkpoint');
  // The deletes and copies are writes too.
  return { catalogs: now.catalogs, writes: changed.size > 0 ? await readWrites(pglite) : now.writes };
}
