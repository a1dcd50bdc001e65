#!/usr/bin/env node
// Runs Node's own test runner over TypeScript test files (through tsx), grouped by kind:
//   unit: src/**/*.test.ts and test/**/*.test.ts without a database   integration: those with one
//   e2e: e2e/**/*.e2e.ts and test/**/*.e2e.ts (the security suite keeps its browser tests beside the others)
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// With DATABASE_URL set, `npm test` runs the tests that touch the database (the pure ones already ran on PGlite
// and do not depend on the backend).
const kinds = process.argv.slice(2).filter((k) => !(process.env.DATABASE_URL && k === 'unit'));
const wanted = kinds.length > 0 ? kinds : ['unit', 'integration'];
const touchesDatabase = (file) =>
  /startTestApp|openTestDatabase|startServedApp/.test(readFileSync(file, 'utf8'));

function walk(dir, suffix, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, suffix, out);
    else if (name.endsWith(suffix)) out.push(path);
  }
  return out;
}

const files = [];
for (const file of [...walk('src', '.test.ts'), ...walk('test', '.test.ts')]) {
  if (wanted.includes(touchesDatabase(file) ? 'integration' : 'unit')) files.push(file);
}
if (wanted.includes('e2e')) files.push(...walk('e2e', '.e2e.ts'), ...walk('test', '.e2e.ts'));
files.sort();

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'test' } },
);
process.exit(result.status ?? 1);
