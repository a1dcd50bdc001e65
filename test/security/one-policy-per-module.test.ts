// Issue 13: permissions had no single owner. Route role lists, services' role checks and pages' conditions each
// said who may do what, and the fee page re-implemented the waiver rule. Each module's `<module>.policy.ts` now
// owns its rules; these checks keep a second copy from growing back.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const srcRoot = new URL('../../src/', import.meta.url).pathname;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

const sources = filesUnder(srcRoot).filter((path) => /\.tsx?$/.test(path) && !/\.test\.ts$/.test(path));
const named = (path: string) => relative(srcRoot, path);

/** The lines of these files that match, as `file: line`, so a failure says where to look. */
function matches(files: string[], pattern: RegExp): string[] {
  return files.flatMap((path) =>
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => pattern.test(line))
      .map((line) => `${named(path)}: ${line.trim()}`),
  );
}

test('no page or page part checks a role: pages show the flags their service or policy gives', () => {
  const views = sources.filter((path) => path.endsWith('.tsx'));
  assert.deepEqual(matches(views, /hasRole\(|\.roles\.(includes|some)\(/), []);
});

test("no route writes its own role list: the gate comes from the module's policy", () => {
  const routes = sources.filter((path) => path.endsWith('.routes.ts'));
  assert.deepEqual(matches(routes, /access: \[|hasRole\(|\.roles\.(includes|some)\(/), []);
  assert.deepEqual(matches(routes, /^const \w+ = \[[^\]]*'(admin|registrar|bursar|credentials_office)'/), []);
});

test('no service checks a role itself: it asks its policy', () => {
  const services = sources.filter((path) => path.endsWith('.service.ts'));
  assert.deepEqual(matches(services, /hasRole\(|\.roles\.(includes|some)\(/), []);
});
