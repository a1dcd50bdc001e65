/**
 * What a test app's start costs when it is not the first of its process, and where that CPU goes: a test shard
 * builds one app per database test file, and every start after the first should pay only for what differs.
 *
 *   node --import tsx bench/app-starts.ts [starts=12] [--profile=<file.cpuprofile>]
 *
 * Builds the run's snapshots as the test runner does, then starts and closes `startTestApp` (the started snapshot,
 * as a database test file gets it) that many times in a row, printing each start's and close's CPU seconds. The
 * first start pays for loading modules and compiling what is cached afterwards, so it is left out of the median.
 * Then it opens and drops the same database that many times without an app, to tell PGlite's share (or, with
 * DATABASE_URL, the template copy's) from the app's. The starts after the first are profiled (V8's sampling
 * profiler, through the inspector) and the profile's CPU is summed by the package or source folder that spent it:
 * async stacks are cut at each await, so a caller's inclusive time would say little. A plain script: it records
 * nothing under bench/results.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp } from '../test/support/test-app.ts';
import { openTestDatabase } from '../test/support/test-database.ts';
import { buildSnapshots, dropSnapshots, SNAPSHOTS_ENV } from '../test/support/test-snapshots.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const starts = Number(args.find((a) => /^\d+$/.test(a)) ?? 12);
const profilePath = args.find((a) => a.startsWith('--profile='))?.slice('--profile='.length);

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const snapshotDir = mkdtempSync(join(tmpdir(), 'stackable-app-starts-'));
const snapshots = await buildSnapshots(snapshotDir);
process.env[SNAPSHOTS_ENV] = JSON.stringify(snapshots);

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 500 });

const startCpu: number[] = [];
const closeCpu: number[] = [];
const databaseCpu: number[] = [];
let profile: Profile | undefined;
try {
  for (let i = 0; i < starts; i += 1) {
    if (i === 1) await session.post('Profiler.start');
    const before = process.cpuUsage();
    const app = await startTestApp();
    startCpu.push(cpuSeconds(before));
    const beforeClose = process.cpuUsage();
    await app.close();
    closeCpu.push(cpuSeconds(beforeClose));
    // Memory that kept growing start after start would mean a closed app left something reachable.
    const { rss, arrayBuffers } = process.memoryUsage();
    console.log(
      `start ${i + 1}: ${startCpu[i]?.toFixed(3)} CPU-s, close ${closeCpu[i]?.toFixed(3)} CPU-s; ` +
        `RSS ${(rss / 2 ** 20).toFixed(0)} MB, array buffers ${(arrayBuffers / 2 ** 20).toFixed(0)} MB`,
    );
  }
  if (starts > 1) profile = ((await session.post('Profiler.stop')) as { profile: Profile }).profile;
  session.disconnect();
  if (profile && profilePath) writeFileSync(profilePath, JSON.stringify(profile));
  // The same database without an app on it: what of a start is PGlite's (or PostgreSQL's copy of the template).
  for (let i = 0; i < starts; i += 1) {
    const before = process.cpuUsage();
    const { drop } = await openTestDatabase({ start: 'started' });
    databaseCpu.push(cpuSeconds(before));
    await drop();
  }
} finally {
  await dropSnapshots(snapshots);
  rmSync(snapshotDir, { recursive: true, force: true });
}

console.log(
  `\nstarts 2..${starts}: median ${median(startCpu.slice(1)).toFixed(3)} CPU-s to start, ` +
    `${median(closeCpu.slice(1)).toFixed(3)} to close (first start ${startCpu[0]?.toFixed(3)}); ` +
    `the database alone: median ${median(databaseCpu.slice(1)).toFixed(3)} CPU-s to open`,
);

if (profile) summarize(profile, starts - 1);

/** Prints the profile's CPU per start by where it was spent (self time: the function running when sampled). */
function summarize(profile: Profile, runs: number): void {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const bySource = new Map<string, number>();
  for (const [index, sample] of profile.samples.entries()) {
    const frame = nodes.get(sample)?.callFrame;
    if (!frame || frame.functionName === '(idle)') continue;
    const source = sourceOf(frame.url, frame.functionName);
    bySource.set(source, (bySource.get(source) ?? 0) + (profile.timeDeltas[index + 1] ?? 0));
  }
  console.log('\nSelf time by source (ms of CPU per start and close, profiled)');
  for (const [name, micros] of [...bySource].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`  ${(micros / 1000 / runs).toFixed(1).padStart(7)}  ${name}`);
  }
}

/** The package (node_modules) or source folder a function belongs to, or V8's name for a pseudo-frame. */
function sourceOf(url: string, functionName: string): string {
  if (!url) return functionName || '(anonymous native)';
  const inPackage = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (inPackage) return inPackage[1] ?? url;
  if (url.startsWith('node:')) return url;
  const inRepo = url.match(/\/(src|test)\/(.+)\/[^/]+$/);
  return inRepo ? `${inRepo[1]}/${inRepo[2]}` : url;
}
