import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

// Who reacts to what must be readable in one place: event subscriptions and job handlers and schedules are made
// in the composition root and the modules' wiring files, never inside a service.
const root = join(import.meta.dirname, '..');
const wiringFile = /(^src\/app(-services)?\.ts$|^src\/[a-z-]+\/[a-z-]+\.wiring\.ts$)/;
// The mechanisms themselves (the registry, and the queue's own calls to pg-boss).
const mechanism = /^src\/platform\/(events\.ts|jobs\/)/;
const registration = /\.(subscribe|handle|schedule|runEvery)\(/;

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (/\.tsx?$/.test(name) && !/\.(test|e2e)\.ts$/.test(name)) out.push(path);
  }
  return out;
}

test('event subscriptions and job registrations are made only in the composition root and the wiring files', () => {
  const misplaced = sourceFiles(join(root, 'src'))
    .map((path) => relative(root, path).split('\\').join('/'))
    .filter((path) => !wiringFile.test(path) && !mechanism.test(path))
    .flatMap((path) =>
      readFileSync(join(root, path), 'utf8')
        .split('\n')
        .flatMap((line, index) => (registration.test(line) ? [`${path}:${index + 1}: ${line.trim()}`] : [])),
    );
  assert.deepEqual(misplaced, []);
});
