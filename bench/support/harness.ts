/**
 * The benchmark harness: what a bench file exports, how it times things, and the machine facts each
 * result carries. Variants of one measurement run in interleaved rounds, so a burst of load from
 * elsewhere on the machine falls on ours and the baseline alike.
 */
import { availableParallelism, cpus, loadavg, platform, release, totalmem } from 'node:os';

/** One figure for bench/results/latest.json. `ratio` always reads "times better than the baseline". */
export interface Metric {
  unit: string;
  ours: number;
  baseline?: number;
  /** ours ÷ baseline for throughput, baseline ÷ ours for durations. */
  ratio?: number;
  /** Which direction is good, so the ratio can be computed and read. */
  better: 'higher' | 'lower';
  /** How the figure was taken, for the dated result file and docs/performance.md. */
  description: string;
  /** The per-round figures behind the medians. */
  rounds?: { ours: number[]; baseline?: number[] };
  latencyMs?: { ours?: Percentiles; baseline?: Percentiles };
  /**
   * The same comparison counted in this process's CPU time instead of wall-clock time: steadier when
   * other programs compete for the cores, since time spent waiting for a core is not counted.
   */
  cpuTime?: { unit: string; ours: number; baseline?: number; ratio?: number };
}

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
}

export interface BenchReport {
  /** Keyed as in latest.json (sign, verify, progress_50k, …). */
  metrics: Record<string, Metric>;
  /** Anything else worth keeping: reference figures, correctness checks, sizes. Dated file only. */
  details?: Record<string, unknown>;
}

export interface BenchDefinition {
  name: string;
  description: string;
  run(log: (line: string) => void): Promise<BenchReport>;
}

export interface ThroughputStats {
  /** Operations per second: the median of the rounds. */
  median: number;
  rounds: number[];
  latencyMs: Percentiles;
  /** Operations per second of CPU time used by the process (median of the rounds). */
  perCpuSecond: number;
}

export interface ThroughputOptions {
  rounds?: number;
  /** Each variant runs at least this long per round, and at least `minOps` operations. */
  roundMs?: number;
  minOps?: number;
  warmupMs?: number;
}

/**
 * Operations per second of each variant, one operation at a time on this thread. `op(i)` is called with
 * a running counter so it can cycle through a data set.
 */
export async function compareThroughput(
  variants: Record<string, (index: number) => unknown>,
  options: ThroughputOptions = {},
): Promise<Record<string, ThroughputStats>> {
  const { rounds = 5, roundMs = 1500, minOps = 20, warmupMs = 1000 } = options;
  const names = Object.keys(variants);
  const counters = new Map(names.map((name) => [name, 0]));
  const perRound = new Map<string, number[]>(names.map((name) => [name, []]));
  const latencies = new Map<string, number[]>(names.map((name) => [name, []]));
  const perCpu = new Map<string, number[]>(names.map((name) => [name, []]));

  const runFor = async (name: string, ms: number, record: boolean) => {
    const op = variants[name]!;
    let done = 0;
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    let now = start;
    while (now - start < ms || done < minOps) {
      const index = counters.get(name)!;
      counters.set(name, index + 1);
      await op(index);
      const after = performance.now();
      if (record) latencies.get(name)!.push(after - now);
      now = after;
      done += 1;
    }
    if (record) {
      perRound.get(name)!.push((done * 1000) / (now - start));
      const cpu = process.cpuUsage(cpuStart);
      perCpu.get(name)!.push((done * 1e6) / (cpu.user + cpu.system));
    }
  };

  for (const name of names) await runFor(name, warmupMs, false);
  for (let round = 0; round < rounds; round += 1) {
    // Rotate the order so no variant always runs right after the same other one.
    for (let i = 0; i < names.length; i += 1) await runFor(names[(round + i) % names.length]!, roundMs, true);
  }
  return Object.fromEntries(
    names.map((name) => [
      name,
      {
        median: median(perRound.get(name)!),
        rounds: perRound.get(name)!.map(round2),
        latencyMs: percentiles(latencies.get(name)!),
        perCpuSecond: round2(median(perCpu.get(name)!)),
      },
    ]),
  );
}

export interface DurationStats {
  /** Milliseconds: the median of the rounds. */
  median: number;
  rounds: number[];
  /** CPU milliseconds used by the process (median of the rounds). */
  cpuMs: number;
}

/** Wall-clock milliseconds of each variant's whole task, in interleaved rounds after warm-up rounds. */
export async function compareDuration(
  variants: Record<string, () => unknown>,
  options: { rounds?: number; warmupRounds?: number } = {},
): Promise<Record<string, DurationStats>> {
  const { rounds = 5, warmupRounds = 1 } = options;
  const names = Object.keys(variants);
  const results = new Map<string, number[]>(names.map((name) => [name, []]));
  const cpuResults = new Map<string, number[]>(names.map((name) => [name, []]));
  for (let round = 0; round < warmupRounds + rounds; round += 1) {
    for (let i = 0; i < names.length; i += 1) {
      const name = names[(round + i) % names.length]!;
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      await variants[name]!();
      if (round >= warmupRounds) {
        results.get(name)!.push(performance.now() - start);
        const cpu = process.cpuUsage(cpuStart);
        cpuResults.get(name)!.push((cpu.user + cpu.system) / 1000);
      }
    }
  }
  return Object.fromEntries(
    names.map((name) => [
      name,
      {
        median: median(results.get(name)!),
        rounds: results.get(name)!.map(round2),
        cpuMs: round2(median(cpuResults.get(name)!)),
      },
    ]),
  );
}

/** Builds a metric from ours and an optional baseline, working out the ratios. */
export function metric(
  fields: Omit<Metric, 'ratio' | 'ours' | 'baseline' | 'cpuTime'> & {
    ours: number;
    baseline?: number;
    cpuTime?: { unit: string; ours: number; baseline?: number };
  },
): Metric {
  const { ours, baseline, better, cpuTime } = fields;
  const ratioOf = (mine: number, theirs: number) =>
    round2(better === 'higher' ? mine / theirs : theirs / mine);
  const result: Metric = { ...fields, ours: round2(ours) };
  if (baseline !== undefined) {
    result.baseline = round2(baseline);
    result.ratio = ratioOf(ours, baseline);
  }
  if (cpuTime) {
    result.cpuTime = { ...cpuTime, ours: round2(cpuTime.ours) };
    if (cpuTime.baseline !== undefined) {
      result.cpuTime.baseline = round2(cpuTime.baseline);
      result.cpuTime.ratio = ratioOf(cpuTime.ours, cpuTime.baseline);
    }
  }
  return result;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (fraction: number) =>
    round3(sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}

const round2 = (value: number) => Math.round(value * 100) / 100;
const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** The machine facts printed with every result: compare figures only between equal lines. */
export function machineInfo() {
  const cores = cpus();
  return {
    cpuModel: cores[0]?.model ?? 'unknown',
    cpuCount: cores.length,
    availableParallelism: availableParallelism(),
    totalMemoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
    loadAverage1m: round2(loadavg()[0] ?? 0),
  };
}
