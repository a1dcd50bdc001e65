/**
 * Runs one bench file in its own process (started by bench/run.ts), so benches never share a heap, a
 * JIT warm-up or a patched global. A file whose default export is a BenchDefinition is run and its
 * report written to the path given; any other file has already run as a plain script by being imported.
 */
import { writeFileSync } from 'node:fs';
import { type BenchDefinition, machineInfo } from './harness.ts';

// Passed through the environment, so a plain-script bench still sees its own command-line arguments.
const name = process.env.STACKABLE_BENCH_NAME;
const reportPath = process.env.STACKABLE_BENCH_REPORT;
if (!name || !reportPath) throw new Error('run-one.ts is started by bench/run.ts.');

const module = (await import(new URL(`../${name}.bench.ts`, import.meta.url).href)) as {
  default?: Partial<BenchDefinition>;
};
const bench = module.default;
if (bench && typeof bench.run === 'function') {
  const machine = machineInfo();
  const startedAt = new Date();
  console.log(`▶ ${bench.name}: ${bench.description}`);
  console.log(
    `  ${machine.cpuCount} × ${machine.cpuModel}, Node ${machine.node}, load ${machine.loadAverage1m}`,
  );
  const report = await bench.run((line) => console.log(`  ${line}`));
  const record = {
    bench: bench.name,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { ...machine, loadAverage1mAtEnd: machineInfo().loadAverage1m },
    metrics: report.metrics,
    details: report.details ?? {},
  };
  writeFileSync(reportPath, JSON.stringify(record));
}
