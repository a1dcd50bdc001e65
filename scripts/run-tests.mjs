#!/usr/bin/env node
// Runs Node's own test runner over TypeScript test files (through tsx). A file's suffix names its kind:
//   unit: *.test.ts (pure code, no database)   integration: *.db.test.ts (a real database, often real HTTP)
//   e2e: *.e2e.ts (real Chromium)
// Tests live beside the code they test in src/, or in test/ when they cross modules (the security suite).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const kindOf = (name) =>
  name.endsWith('.e2e.ts')
    ? 'e2e'
    : name.endsWith('.db.test.ts')
      ? 'integration'
      : name.endsWith('.test.ts')
        ? 'unit'
        : undefined;

// With DATABASE_URL set, `npm test` runs the tests that touch the database (the pure ones already ran on PGlite
// and do not depend on the backend).
const kinds = process.argv.slice(2).filter((k) => !(process.env.DATABASE_URL && k === 'unit'));
const wanted = kinds.length > 0 ? kinds : ['unit', 'integration'];

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (wanted.includes(kindOf(name))) out.push(path);
  }
  return out;
}

const files = ['src', 'test', 'e2e'].flatMap((dir) => walk(dir)).sort();

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'test' } },
);
process.exit(result.status ?? 1);
