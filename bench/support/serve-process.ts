/**
 * `stackable serve` as an operator runs it, in a child process, with `npm start`'s malloc setting, for the benches
 * that measure the app from outside (HTTP throughput, staff pages during a list). Its own data folder is removed
 * when it exits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { withNativeHeapSetting } from '../../src/platform/native-heap.ts';
import { freePort } from '../../test/support/free-port.ts';

const STACKABLE = fileURLToPath(new URL('../../bin/stackable.js', import.meta.url));

const LAST_LINES_KEPT = 40;
/** The processes being stopped on purpose. */
const stopping = new WeakSet<ChildProcess>();

export interface ServeProcess {
  child: ChildProcess;
  port: number;
}

/**
 * Starts the app with `env` on top of this process's environment (the caller's settings, DATABASE_URL,
 * STACKABLE_PROCESSES …), on a free loopback port; resolves once it says it is running. `nodeArgs` go to its Node,
 * such as `--cpu-prof` to see where its time goes.
 */
export async function startServe(
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<ServeProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'stackable-bench-serve-'));
  const child = spawn(process.execPath, [...nodeArgs, STACKABLE, 'serve'], {
    // As `npm start` starts it: with glibc's malloc giving freed memory back (platform/native-heap.ts).
    env: {
      ...withNativeHeapSetting({ ...process.env, ...env }),
      STACKABLE_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const lines = createInterface({ input: child.stdout! });
  // Its log goes nowhere else: should it stop before it is told to, the bench says how and what it last wrote.
  const lastLines: string[] = [];
  lines.on('line', (line) => {
    lastLines.push(line);
    if (lastLines.length > LAST_LINES_KEPT) lastLines.shift();
  });
  child.once('exit', (code, signal) => {
    if (stopping.has(child)) return;
    process.stderr.write(
      `the app stopped on its own (status ${code}, signal ${signal}); its last lines:\n${lastLines.join('\n')}\n`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the app did not start within 2 minutes')), 120_000);
    child.once('exit', (code) => reject(new Error(`the app exited early (status ${code})`)));
    lines.on('line', (line) => {
      if (!line.startsWith('Stackable is running')) return;
      clearTimeout(timer);
      resolve();
    });
  });
  return { child, port };
}

/** Stops it as an operator would (SIGTERM), and for good after 15 seconds. */
export async function stopServe(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  stopping.add(child);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
