import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { tableOwners } from '../../src/platform/db/table-owners.ts';

// The module rules of docs/architecture.md, checked over the source text: a module reaches another module's data
// only through what that module publishes (its services and its `*.queries.ts` pieces), never through its
// repositories, its table types or its tables' names in SQL. `platform/` is infrastructure, not a module
// (its schema gathers every module's table types; its migrations create every table).

const root = resolve(import.meta.dirname, '../..');
const src = join(root, 'src');

const isTest = (path: string) => /\.(test|e2e)\.tsx?$/.test(path);

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (/\.tsx?$/.test(name) && !isTest(path)) out.push(path);
  }
  return out;
}

/** The module a file belongs to: its first folder under src/, or undefined outside the modules. */
function moduleOf(path: string): string | undefined {
  const parts = relative(src, path).split(sep);
  if (parts.length < 2 || parts[0] === 'platform') return undefined;
  return parts[0];
}

const moduleFiles = sourceFiles(src).filter((path) => moduleOf(path) !== undefined);
const owners: Record<string, string> = tableOwners;

/** Imports of another module's repository or table types. */
function forbiddenImports(path: string, text: string): string[] {
  const own = moduleOf(path);
  const found: string[] = [];
  for (const match of text.matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
    const target = resolve(dirname(path), match[1]!);
    const owner = moduleOf(target);
    if (owner !== own && /\.(repository|tables)\.ts$/.test(target)) {
      found.push(`${relative(root, path)} imports ${relative(root, target)}`);
    }
  }
  return found;
}

const builderCall =
  /\b(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|innerJoinLateral|leftJoinLateral|mergeInto|replaceInto)\(\s*'([a-z_]+)/g;
const rawSql = /\bsql(?:<[^`]*?>)?`([^`]*)`/g;
const rawTable = /\b(?:from|join|into|update)\s+([a-z_]+)/gi;

/** Tables of other modules that a file names in SQL, through Kysely's builder or in raw `sql` text. */
function foreignTables(path: string, text: string): string[] {
  const own = moduleOf(path);
  const named = new Set<string>();
  for (const match of text.matchAll(builderCall)) named.add(match[1]!);
  for (const query of text.matchAll(rawSql)) {
    for (const match of query[1]!.matchAll(rawTable)) named.add(match[1]!);
  }
  return [...named]
    .filter((table) => owners[table] !== undefined && owners[table] !== own)
    .map((table) => `${relative(root, path)} names ${table} (owned by ${owners[table]})`);
}

function offences(): string[] {
  return moduleFiles
    .flatMap((path) => {
      const text = readFileSync(path, 'utf8');
      return [...forbiddenImports(path, text), ...foreignTables(path, text)];
    })
    .sort();
}

test('every table has an owner among the modules', () => {
  const modules = new Set(readdirSync(src).filter((name) => statSync(join(src, name)).isDirectory()));
  for (const [table, owner] of Object.entries(owners)) assert.ok(modules.has(owner), `${table}: ${owner}`);
});

test('no module imports another module’s repository or tables, nor names its tables in SQL', () => {
  // A wrong root would find nothing and pass: make sure the repositories were read.
  assert.ok(moduleFiles.filter((path) => path.endsWith('.repository.ts')).length >= 20);
  assert.deepEqual(offences(), []);
});

test('the checks see the offences they look for', () => {
  const path = join(src, 'home', 'example.repository.ts');
  assert.deepEqual(forbiddenImports(path, "import { X } from '../issuing/issuing.repository.ts';"), [
    'src/home/example.repository.ts imports src/issuing/issuing.repository.ts',
  ]);
  assert.deepEqual(
    forbiddenImports(path, "import type { Y } from '../progress/progress.tables.ts';").length,
    1,
  );
  assert.deepEqual(
    forbiddenImports(path, "import { awardsJoined } from '../issuing/issuing.queries.ts';"),
    [],
  );
  assert.deepEqual(
    foreignTables(path, "db.selectFrom('programs as p').innerJoin('learners as l', 'l.id', 'x')"),
    [
      'src/home/example.repository.ts names programs (owned by programs)',
      'src/home/example.repository.ts names learners (owned by learners)',
    ],
  );
  assert.deepEqual(
    foreignTables(path, 'sql<number>`(select count(*) from enrolments e where e.x = 1)`').length,
    1,
  );
  assert.deepEqual(foreignTables(join(src, 'programs', 'x.repository.ts'), "db.updateTable('programs')"), []);
});
