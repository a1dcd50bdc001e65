#!/usr/bin/env node
// Runs Node's own test runner over TypeScript test files (through tsx), grouped by kind:
//   unit, integration: src/**/*.test.ts      e2e: e2e/**/*.e2e.ts
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const kinds = process.argv.slice(2);
const wanted = kinds.length > 0 ? kinds : ['unit', 'integration'];

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
if (wanted.includes('unit') || wanted.includes('integration')) files.push(...walk('src', '.test.ts'));
if (wanted.includes('e2e')) files.push(...walk('e2e', '.e2e.ts'));
files.sort();

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'test' } },
);
process.exit(result.status ?? 1);
