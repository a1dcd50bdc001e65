/**
 * The CPU time PostgreSQL's backends have spent for one database, read from /proc: the other half of a request's
 * cost when the app and the database share a machine, and steadier than wall time when the machine is loaded.
 * Only when the server runs on this machine (and this user may read its processes); otherwise undefined.
 */
import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { benchPostgresUrl } from './bench-app.ts';

/** Linux's clock ticks per second (USER_HZ), in which /proc gives CPU times. */
const CLOCK_TICKS = 100;

/** CPU seconds (user + system) of one process, or undefined when it is not visible here. */
export function processCpuSeconds(pid: number): number | undefined {
  const path = `/proc/${pid}/stat`;
  if (!existsSync(path)) return undefined;
  try {
    const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    // The process ended between the two reads.
    return undefined;
  }
}

/**
 * The CPU seconds of every backend connected to `database` now, by pid. Compare two readings pid by pid: a
 * backend that came or went between them counts only for the part both saw.
 */
export async function databaseCpu(database: string): Promise<Map<number, number> | undefined> {
  const client = new pg.Client({ connectionString: benchPostgresUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = $1',
      [database],
    );
    const seconds = new Map<number, number>();
    for (const { pid } of rows) {
      const cpu = processCpuSeconds(pid);
      if (cpu !== undefined) seconds.set(pid, cpu);
    }
    return rows.length > 0 && seconds.size === 0 ? undefined : seconds;
  } finally {
    await client.end();
  }
}

/** Seconds spent between two readings, by the backends present in both. */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) {
    const start = before.get(pid);
    if (start !== undefined) total += seconds - start;
  }
  return total;
}
