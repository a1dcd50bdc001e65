/**
 * Bulk issuing's curve (issue 20, point 1): a tracking list of 1,000, 10,000, 50,000 and 100,000 rows from commit
 * to every credential signed and stored, every fee charged and every claim e-mail queued, on a throw-away
 * PostgreSQL database and on PGlite (on disk, as `npm start` runs), with the process's peak RSS for each size.
 *
 * Each measurement runs in a Node process of its own (support/bulk-issue-one.ts), so a size's peak memory is not
 * the previous size's leftovers, and the kernel's peak (VmHWM) counts everything: the signing threads' heaps and,
 * on PGlite, the database. Ours is the app as it is (chunks of ISSUE_BATCH_SIZE rows per transaction, set-wise
 * writes, the fast signer on worker threads). The time baseline, measured in the same run on the same backend, is
 * the way it was done before: every row on its own (10 per transaction) with the reference libraries. It would
 * take most of an hour on 100,000 rows, so it runs on BENCH_BULK_BASELINE_ROWS rows (300) and is extrapolated
 * linearly (its cost per row does not depend on the list's length). The memory baseline is the smallest list's
 * peak: the ratio says how flat memory stays as the list grows.
 *
 * The measuring processes run the JavaScript copy of the app and of this support code (bin/compile.js), as
 * `npm start` runs the app: under tsx's loader a process holds 30-100 MB more, which is no part of issuing. They
 * also get `npm start`'s malloc setting (src/platform/native-heap.ts), unless the environment chose its own.
 *
 * Knobs: BENCH_BULK_SIZES (1000,10000,50000,100000), BENCH_BULK_PGLITE_MAX (50000: PGlite's target size),
 * BENCH_BULK_BASELINE_ROWS (300), BENCH_POSTGRES_URL ('' for PGlite only), BENCH_BULK_NODE_ARGS (flags for the
 * measuring processes' Node), BENCH_BULK_TSX=1 (run them through tsx instead). Draws the curve as SVG
 * (docs/images/bulk-issue-*.svg) with the app's own charts, from this run's points only: a partial run (PGlite
 * alone, or fewer sizes) redraws them with just its own bars, while latest.json keeps every other key as it was.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { compiledTree } from '../bin/compile.js';
import { ISSUE_BATCH_SIZE } from '../src/issuing/tracking-list-issuer.ts';
import { barChartSvg } from '../src/platform/charts.ts';
import { withNativeHeapSetting } from '../src/platform/native-heap.ts';
import type { Backend } from './support/bench-app.ts';
import type { IssueRun } from './support/bulk-issue-one.ts';
import { type BenchDefinition, type Metric, metric } from './support/harness.ts';

const DEFAULT_SIZES = '1000,10000,50000,100000';
const SIZES = (process.env.BENCH_BULK_SIZES ?? DEFAULT_SIZES)
  .split(',')
  .map(Number)
  .filter((n) => n > 0)
  .sort((a, b) => a - b);
const PGLITE_MAX = Number(process.env.BENCH_BULK_PGLITE_MAX ?? 50_000);
const BASELINE_ROWS = Number(process.env.BENCH_BULK_BASELINE_ROWS ?? 300);
const BACKENDS: Backend[] = process.env.BENCH_POSTGRES_URL === '' ? ['pglite'] : ['postgres', 'pglite'];
const NODE_ARGS = (process.env.BENCH_BULK_NODE_ARGS ?? '').split(' ').filter(Boolean);
const USE_TSX = process.env.BENCH_BULK_TSX === '1';
const IMAGES = new URL('../docs/images/', import.meta.url);

const backendLabel: Record<Backend, string> = { postgres: 'PostgreSQL', pglite: 'PGlite' };
const sizeKey = (rows: number) => (rows % 1000 === 0 ? `${rows / 1000}k` : String(rows));

interface Point extends IssueRun {
  rowsPerSecond: number;
  /** CPU milliseconds (all threads) per row issued. */
  cpuMsPerRow: number;
  loadAverage1m: number;
}

export default {
  name: 'bulk-issue',
  description: `tracking lists of ${SIZES.join(', ')} rows from commit to done, on ${BACKENDS.map((b) => (b === 'pglite' ? `PGlite (up to ${PGLITE_MAX})` : 'PostgreSQL')).join(' and ')}`,
  async run(log) {
    const metrics: Record<string, Metric> = {};
    const curve: Record<string, Point[]> = {};
    const baselines: Record<string, Point> = {};
    for (const backend of BACKENDS) {
      const sizes = SIZES.filter((rows) => backend === 'postgres' || rows <= PGLITE_MAX);
      if (sizes.length === 0) continue;
      log(`${backend}: baseline, ${BASELINE_ROWS} rows one by one with the reference signer…`);
      const base = await measure(backend, BASELINE_ROWS, true);
      baselines[backend] = base;
      log(
        `${backend}: baseline ${base.seconds} s for ${BASELINE_ROWS} rows (${base.rowsPerSecond} rows/s), load ${base.loadAverage1m}`,
      );
      const points: Point[] = [];
      for (const rows of sizes) {
        log(`${backend}: ours, ${rows} rows…`);
        const point = await measure(backend, rows, false);
        points.push(point);
        log(
          `${backend}: ${rows} rows in ${point.seconds} s (${point.rowsPerSecond} rows/s, ${point.cpuMsPerRow} ms CPU a row), ` +
            `peak RSS ${point.peakRssMb} MB (${point.startRssMb} at commit; by tenths ${point.rssByTenthMb.join(' ')}), ` +
            `upload ${point.uploadSeconds} s peaking at ${point.uploadPeakRssMb} MB, checks ${point.checkSeconds} s, ` +
            `load ${point.loadAverage1m}`,
        );
      }
      curve[backend] = points;
      const smallest = points[0]!;
      for (const point of points) {
        const key = `bulk_issue_${sizeKey(point.rows)}_${backend}`;
        const baselineSeconds = (base.seconds * point.rows) / BASELINE_ROWS;
        metrics[key] = metric({
          unit: 's',
          ours: point.seconds,
          baseline: baselineSeconds,
          better: 'lower',
          cpuTime: { unit: 'ms/row', ours: point.cpuMsPerRow, baseline: base.cpuMsPerRow },
          description:
            `${point.rows}-row tracking list on ${backendLabel[backend]}, commit to done (credentials stored, fees ` +
            `charged, claim e-mails queued), chunks of ${ISSUE_BATCH_SIZE}: ${point.rowsPerSecond} rows/s, peak RSS ` +
            `${point.peakRssMb} MB; load average ${point.loadAverage1m}. Baseline: row by row with the reference ` +
            `signer on ${BASELINE_ROWS} rows, extrapolated.`,
        });
        metrics[`${key}_rss`] = metric({
          unit: 'MB',
          ours: point.peakRssMb,
          baseline: smallest.peakRssMb,
          better: 'lower',
          description:
            `Peak RSS (VmHWM, signing threads${backend === 'pglite' ? ' and the database' : ''} included) ` +
            `while a ${point.rows}-row list is issued on ${backendLabel[backend]}; baseline: the same for ` +
            `${smallest.rows} rows, so the ratio shows how flat memory stays. The upload peaked at ` +
            `${point.uploadPeakRssMb} MB.`,
        });
      }
    }
    await drawCurve(curve, log);
    return {
      metrics,
      details: { sizes: SIZES, pgliteMax: PGLITE_MAX, chunk: ISSUE_BATCH_SIZE, curve, baselines },
    };
  },
} satisfies BenchDefinition;

/** One measurement in a fresh process (support/bulk-issue-one.ts). */
async function measure(backend: Backend, rows: number, baseline: boolean): Promise<Point> {
  const entry = await measuringEntry();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--enable-source-maps', ...NODE_ARGS, ...entry], {
      // As `npm start` starts the app: with glibc's malloc giving freed memory back (platform/native-heap.ts).
      env: {
        ...withNativeHeapSetting(process.env),
        BULK_ONE_BACKEND: backend,
        BULK_ONE_ROWS: String(rows),
        BULK_ONE_BASELINE: baseline ? '1' : '0',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) {
        reject(new Error(`${backend} ${rows} rows failed (exit ${code}): ${out.slice(-2000)}`));
        return;
      }
      const run = JSON.parse(last) as IssueRun;
      resolve({
        ...run,
        rowsPerSecond: Math.round(run.rows / run.seconds),
        cpuMsPerRow: Math.round((run.cpuSeconds * 1000 * 100) / run.rows) / 100,
        loadAverage1m: Math.round(loadavg()[0]! * 10) / 10,
      });
    });
  });
}

/** Node's arguments that start support/bulk-issue-one: its JavaScript copy, or the TypeScript through tsx. */
async function measuringEntry(): Promise<string[]> {
  const tree = USE_TSX ? null : await compiledTree(['src', 'bench/support', 'test/support']);
  if (tree) return [fileURLToPath(new URL('bench/support/bulk-issue-one.js', tree))];
  return ['--import', 'tsx', fileURLToPath(new URL('./support/bulk-issue-one.ts', import.meta.url))];
}

/** The curve as two bar charts, drawn by the app's own chart code: seconds and peak RSS per list size. */
async function drawCurve(curve: Record<string, Point[]>, log: (line: string) => void): Promise<void> {
  const backends = Object.keys(curve) as Backend[];
  if (backends.length === 0) return;
  const categories = SIZES.map((rows) => `${rows.toLocaleString('en')} rows`);
  const series = (value: (point: Point) => number) =>
    backends.map((backend) => ({
      name: backendLabel[backend],
      values: SIZES.map((rows) => {
        const point = curve[backend]!.find((p) => p.rows === rows);
        return point ? value(point) : 0;
      }),
    }));
  // Only what this run measured: a run of PGlite alone (BENCH_POSTGRES_URL='') or of fewer sizes draws charts
  // without the other backend's bars or the other sizes, whatever latest.json still holds from earlier runs.
  const drawn = backends.map((backend) => backendLabel[backend]).join(' and ');
  if (backends.length < BACKENDS.length || SIZES.join() !== DEFAULT_SIZES)
    log(`charts of this partial run only: ${drawn}, ${SIZES.join(', ')} rows`);
  mkdirSync(IMAGES, { recursive: true });
  const charts = [
    {
      file: 'bulk-issue-seconds.svg',
      svg: await barChartSvg({
        title: 'Bulk issuing: seconds from commit to done',
        description: `Seconds to issue a tracking list, by its number of rows, on ${drawn}.`,
        categories,
        categoryTitle: 'List size',
        valueTitle: 'Seconds',
        series: series((p) => p.seconds),
      }),
    },
    {
      file: 'bulk-issue-rss.svg',
      svg: await barChartSvg({
        title: 'Bulk issuing: peak memory',
        description: `Peak RSS in MB while a tracking list is issued, by its number of rows, on ${drawn}.`,
        categories,
        categoryTitle: 'List size',
        valueTitle: 'Peak RSS (MB)',
        series: series((p) => p.peakRssMb),
      }),
    },
  ];
  for (const { file, svg } of charts) {
    const url = new URL(file, IMAGES);
    writeFileSync(url, `${svg}\n`);
    log(`chart → ${fileURLToPath(url)}`);
  }
}
