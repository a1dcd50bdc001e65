/**
 * import_completions_1m: a 1,000,000-row completions file through the importer on PostgreSQL (issue 20, point 2:
 * at least 100,000 rows/s, memory flat, still idempotent and reporting every row).
 *
 * The university has 20,000 learners with confirmed student IDs and the demo course list. Ours is the staging
 * importer (src/learners/completion-imports.service.ts); the baseline is the importer as it was before it
 * (bench/support/row-batch-import: batches of 1,000 rows, each with its own lookups and writes), measured in the
 * same run on a 10,000-row file, since a million rows through it would take hours on a shared machine. Ours is
 * measured on a 100,000-row file, in interleaved rounds with the baseline, then on the million
 * rows (first import: every row new) and on the million again (every row unchanged). Every file gets terms of its
 * own, so each first import writes every row. Also recorded: CPU time of this process and of the database's
 * server processes (read from /proc), and peak resident memory of this process at 100,000 and 1,000,000 rows.
 * Correctness gates: every row of a first import is accepted, every row of the re-import unchanged, and the
 * database holds exactly the completions and report rows the files gave.
 *
 * Sizes: BENCH_IMPORT_SMALL_ROWS (100,000), BENCH_IMPORT_LARGE_ROWS (1,000,000), BENCH_IMPORT_BASELINE_ROWS (10,000;
 * 0 leaves the row-batch importer out, to compare two versions of ours back to back).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { CatalogSeedRepository } from '../src/catalog/catalog-seed.repository.ts';
import { parseTerm, seasons } from '../src/learners/academic-term.ts';
import { newId } from '../src/platform/ids.ts';
import { syntheticCompletionsCsv } from '../test/support/completions-fixture.ts';
import { type BenchApp, startBenchApp } from './support/bench-app.ts';
import { type BenchDefinition, median, metric } from './support/harness.ts';
import { RowBatchRepository } from './support/row-batch-import/repository.ts';
import { RowBatchCompletionImports } from './support/row-batch-import/service.ts';

const STUDENTS = 20_000;
/** File sizes; smaller ones make a quick comparison of two commits on a shared machine. */
const SMALL = Number(process.env.BENCH_IMPORT_SMALL_ROWS ?? 100_000);
const LARGE = Number(process.env.BENCH_IMPORT_LARGE_ROWS ?? 1_000_000);
/**
 * The baseline's file: it links each batch's learners without an account one by one (all 20,000 here), so it
 * runs at a few hundred rows a second on a loaded machine, and a larger file would hold the bench for an hour.
 * 0 leaves the baseline out (when comparing two versions of ours).
 */
const BASELINE_ROWS = Number(process.env.BENCH_IMPORT_BASELINE_ROWS ?? 10_000);
const ROUNDS = 1;
const actor = { system: 'benchmark' };

interface Run {
  rows: number;
  ms: number;
  rowsPerSecond: number;
  /** CPU seconds of this process and of the database server's processes for this database. */
  appCpuS: number;
  dbCpuS: number;
  peakRssMb: number;
  peakRssGrowthMb: number;
  importId: string;
}

export default {
  name: 'learners-import',
  description: 'a 1,000,000-row completions import on PostgreSQL, against the row-batch importer it replaced',
  async run(log) {
    const app = await startBenchApp('postgres');
    try {
      const studentIds = await addLearners(app, STUDENTS);
      await registerTerms(app, 1900, 1999);
      const courseCodes = (await app.database.db.selectFrom('courses').select('code').execute()).map(
        (r) => r.code,
      );
      const { current_database: dbName } = (
        await sql<{ current_database: string }>`select current_database()`.execute(app.database.db)
      ).rows[0]!;
      log(`${studentIds.length} learners, ${courseCodes.length} courses, database ${dbName}`);
      const baseline = new RowBatchCompletionImports(
        app.database,
        app.services.audit,
        new RowBatchRepository(),
        app.services.recordLinking,
        { now: () => new Date() },
        (within) => app.services.institution.getWithin(within),
      );
      const completions = app.services.completionImports;
      let year = 1900;
      const file = (rows: number, firstYear: number) =>
        syntheticCompletionsCsv({ rows, studentIds, courseCodes, firstYear, chunkRows: 2000 });
      const measure = async (rows: number, importFile: () => Promise<string>): Promise<Run> => {
        global.gc?.();
        const appBefore = process.cpuUsage();
        const dbBefore = serverCpuSeconds(dbName);
        const run = await withPeakRss(importFile);
        const cpu = process.cpuUsage(appBefore);
        const result: Run = {
          rows,
          ms: run.ms,
          rowsPerSecond: Math.round(rows / (run.ms / 1000)),
          appCpuS: round1((cpu.user + cpu.system) / 1e6),
          dbCpuS: round1(serverCpuSeconds(dbName) - dbBefore),
          peakRssMb: run.peakRssMb,
          peakRssGrowthMb: run.peakRssGrowthMb,
          importId: run.result,
        };
        log(
          `  ${rows} rows: ${(run.ms / 1000).toFixed(1)} s, ${result.rowsPerSecond} rows/s; CPU ${result.appCpuS} s app + ` +
            `${result.dbCpuS} s database; peak RSS ${result.peakRssMb} MB (+${result.peakRssGrowthMb} MB); load ${loadAverage()}`,
        );
        return result;
      };
      const ours = (rows: number, firstYear: number) =>
        measure(
          rows,
          async () =>
            (await completions.importCompletions(actor, file(rows, firstYear), 'ours.csv', 'cli')).id,
        );
      const theirs = (rows: number, firstYear: number) =>
        measure(rows, () => baseline.importCompletions(actor, file(rows, firstYear), 'baseline.csv', 'cli'));
      const expectAll = async (run: Run, outcome: 'accepted' | 'unchanged') => {
        const summary = await completions.findImport(run.importId);
        if (summary.rowsTotal !== run.rows || summary[outcome] !== run.rows) {
          throw new Error(
            `import ${run.importId}: expected ${run.rows} rows ${outcome}, got ${JSON.stringify(summary)}`,
          );
        }
      };

      const completionsBefore = await countCompletions(app);
      const small: { ours: Run[]; baseline: Run[] } = { ours: [], baseline: [] };
      for (let round = 0; round < ROUNDS; round++) {
        log(`round ${round + 1} of ${ROUNDS}: ours on ${SMALL} rows, the baseline on ${BASELINE_ROWS}`);
        // Alternate which goes first, so neither always meets the same state of the machine.
        const order = round % 2 === 0 ? (['ours', 'baseline'] as const) : (['baseline', 'ours'] as const);
        for (const which of order) {
          if (which === 'baseline' && BASELINE_ROWS === 0) continue;
          const run = await (which === 'ours' ? ours(SMALL, year) : theirs(BASELINE_ROWS, year));
          year += 2;
          await expectAll(run, 'accepted');
          small[which].push(run);
        }
      }
      log(`${LARGE} rows, first import`);
      const largeYear = year;
      const first = await ours(LARGE, largeYear);
      await expectAll(first, 'accepted');
      log(`${LARGE} rows, the same file again`);
      const again = await ours(LARGE, largeYear);
      await expectAll(again, 'unchanged');
      const stored = {
        completions: (await countCompletions(app)) - completionsBefore,
        reportRows: await countReportRows(app, first.importId, again.importId),
      };
      const expected = { completions: (SMALL + BASELINE_ROWS) * ROUNDS + LARGE, reportRows: 2 * LARGE };
      if (stored.completions !== expected.completions || stored.reportRows !== expected.reportRows) {
        throw new Error(`stored ${JSON.stringify(stored)}, expected ${JSON.stringify(expected)}`);
      }

      const perCpu = (r: Run) => r.rows / (r.appCpuS + r.dbCpuS);
      const medianOf = (runs: Run[], pick: (r: Run) => number) => median(runs.map(pick));
      const baselineOf = (pick: (r: Run) => number) =>
        small.baseline.length > 0 ? medianOf(small.baseline, pick) : undefined;
      const load = loadAverage();
      return {
        metrics: {
          import_completions_1m: metric({
            unit: 'rows/s',
            ours: first.rowsPerSecond,
            baseline: baselineOf((r) => r.rowsPerSecond),
            better: 'higher',
            description:
              `1,000,000-row first import on PostgreSQL (ours) against the row-batch importer on ${BASELINE_ROWS} rows ` +
              `(median of ${ROUNDS}), same run; load average ${load}. CPU time counts this process and the ` +
              `database server's processes.`,
            rounds: { ours: [first.rowsPerSecond], baseline: small.baseline.map((r) => r.rowsPerSecond) },
            cpuTime: {
              unit: 'rows per CPU second',
              ours: perCpu(first),
              baseline: baselineOf(perCpu),
            },
          }),
          import_completions_100k: metric({
            unit: 'rows/s',
            ours: medianOf(small.ours, (r) => r.rowsPerSecond),
            baseline: baselineOf((r) => r.rowsPerSecond),
            better: 'higher',
            description: `100,000-row first imports on PostgreSQL (ours) against the row-batch importer on ${BASELINE_ROWS} rows, interleaved rounds (median of ${ROUNDS}); load average ${load}.`,
            rounds: {
              ours: small.ours.map((r) => r.rowsPerSecond),
              baseline: small.baseline.map((r) => r.rowsPerSecond),
            },
            cpuTime: {
              unit: 'rows per CPU second',
              ours: medianOf(small.ours, perCpu),
              baseline: baselineOf(perCpu),
            },
          }),
          import_completions_1m_again: metric({
            unit: 'rows/s',
            ours: again.rowsPerSecond,
            better: 'higher',
            description: `the same 1,000,000-row file imported again (every row unchanged); load average ${load}.`,
            cpuTime: { unit: 'rows per CPU second', ours: perCpu(again) },
          }),
          import_completions_peak_rss_mb: metric({
            unit: 'MB',
            ours: first.peakRssMb,
            baseline: medianOf(small.ours, (r) => r.peakRssMb),
            better: 'lower',
            description:
              'peak resident memory of the app process during the 1,000,000-row import (ours) and during the ' +
              '100,000-row imports (baseline column: ours at 100,000 rows), to show memory stays flat.',
          }),
        },
        details: {
          students: studentIds.length,
          courses: courseCodes.length,
          small,
          first,
          again,
          stored,
          loadAverage: load,
        },
      };
    } finally {
      await app.close();
    }
  },
} satisfies BenchDefinition;

/** Learners with confirmed student IDs, written straight to the table: the bench's own student body. */
/**
 * Puts every season of these years on the registrar's Terms page, named as the synthetic files name their terms
 * ('1900 Winter'): the demo university's page lists terms, and an import takes only the terms listed there.
 */
async function registerTerms(app: BenchApp, fromYear: number, toYear: number): Promise<void> {
  const terms = [];
  for (let year = fromYear; year <= toYear; year++) {
    for (const [index, season] of seasons.entries()) {
      const name = `${year} ${season}`;
      const endsOn = parseTerm(name)!.endsOn;
      terms.push({ code: `${year}${index + 1}`, name, startsOn: `${year}-01-01`, endsOn });
    }
  }
  await new CatalogSeedRepository().insertTerms(app.database.db, terms);
}

async function addLearners(app: BenchApp, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - start) }, (_, i) => {
      const n = start + i;
      return {
        id: newId(),
        email: `bench-student-${n}@students.example.edu`,
        name: `Bench Student ${n}`,
        student_id: `B${String(n).padStart(8, '0')}`,
        status: 'current' as const,
        identity_confirmed: true,
      };
    });
    await app.database.db.insertInto('learners').values(rows).execute();
    ids.push(...rows.map((r) => r.student_id));
  }
  return ids;
}

async function countCompletions(app: BenchApp): Promise<number> {
  const row = await app.database.db
    .selectFrom('completions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function countReportRows(app: BenchApp, ...importIds: string[]): Promise<number> {
  const row = await app.database.db
    .selectFrom('completion_import_rows')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('import_id', 'in', importIds)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Samples this process's resident memory while `work` runs: the peak, and its growth over the start. */
async function withPeakRss<T>(work: () => Promise<T>) {
  const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 25);
  const began = performance.now();
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return {
      result,
      ms: Math.round(performance.now() - began),
      peakRssMb: mb(peak),
      peakRssGrowthMb: mb(peak - start),
    };
  } finally {
    clearInterval(timer);
  }
}

/** CPU seconds (user and system) the database server has spent in processes serving this database. */
function serverCpuSeconds(dbName: string): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${dbName} `)) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      // utime and stime are fields 14 and 15 of stat; after the command name they are the 12th and 13th.
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended meanwhile.
    }
  }
  return ticks / 100;
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0] ?? '?';
