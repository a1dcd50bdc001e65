// The application's TypeScript, transpiled once into plain JavaScript that Node runs without a loader.
//
// Running through tsx costs a process about 70 MB of RSS (docs/performance.md): Node runs tsx's module hooks
// on a thread of their own, with its own heap, and every module's text passes through it. `compiledTree` gives `bin/stackable.js` a
// JavaScript copy of `src/` instead, built by esbuild the first time a start finds the sources changed (a couple
// of seconds) and reused while they stay the same. Nothing here is a build step anyone has to remember:
// `npm start` and the `stackable` command call it, and when it cannot build (a read-only installation, say) they
// fall back to tsx.
//
// The copy mirrors the repository (`src/…`, and the `standards/` folder and `package.json` the code reads by
// relative path), so every `new URL('./x', import.meta.url)` finds what it finds in the sources. Each build has
// a folder named by a fingerprint of what it was built from, written elsewhere and renamed into place, so a
// running process never sees its files change, and two starts building at once both end with a whole copy.
// Source maps point back at the TypeScript, so stack traces name `src/` files and lines.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = join(ROOT, '.compiled');
/** Folders and files copied as they are, because the code reads them by a path relative to its own. */
const COPIED = ['standards', 'package.json'];
/** Builds kept besides the newest: a process started from one of them may still load a file from it later. */
const KEPT_BUILDS = 2;

const isTest = (name) => /\.(test|e2e)\.tsx?$/.test(name);
const isTypeScript = (name) => /\.tsx?$/.test(name) && !name.endsWith('.d.ts');

/**
 * The URL of a JavaScript copy of `folders` (relative to the repository; `src` for the app), built now if the
 * sources changed since the last build; null when it cannot be built, after saying why on stderr.
 */
export async function compiledTree(folders = ['src']) {
  try {
    const files = folders.flatMap((folder) => listFiles(join(ROOT, folder), false));
    const target = join(CACHE, fingerprint(files));
    if (!existsSync(target)) await build(files, target);
    return pathToFileURL(target + sep);
  } catch (error) {
    process.stderr.write(
      `Running the TypeScript through tsx: the JavaScript copy could not be built (${error.message}).\n`,
    );
    return null;
  }
}

function listFiles(folder, tests) {
  const found = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...listFiles(path, tests));
    else if (tests || !isTest(entry.name)) found.push(path);
  }
  return found;
}

/**
 * Names, sizes and modification times of everything a build reads, this file included (a change to how builds are
 * made makes a new one): cheap to take at every start.
 */
function fingerprint(files) {
  const hash = createHash('sha256').update(`${process.version}\n`);
  const copied = ['bin/compile.js', ...COPIED].flatMap((name) => {
    const path = join(ROOT, name);
    return statSync(path).isDirectory() ? listFiles(path, true) : [path];
  });
  for (const file of [...files, ...copied].sort()) {
    const { size, mtimeMs } = statSync(file);
    hash.update(`${relative(ROOT, file)}\0${size}\0${mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

async function build(files, target) {
  const { build: esbuild } = await import('esbuild');
  const staging = `${target}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  try {
    await esbuild({
      entryPoints: files.filter((file) => isTypeScript(file)),
      outbase: ROOT,
      outdir: staging,
      // Each file stays a module of its own: "bundling" only so that the plugin below may rewrite its imports.
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node.split('.')[0]}`,
      jsx: 'automatic',
      jsxImportSource: 'preact',
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'silent',
      plugins: [importsStayImports],
    });
    for (const file of files.filter((file) => !isTypeScript(file) && !file.endsWith('.d.ts'))) {
      copyInto(staging, file);
    }
    for (const name of COPIED) copyInto(staging, join(ROOT, name));
    try {
      renameSync(staging, target);
    } catch (error) {
      // Another start finished the same build first: theirs is as good as ours.
      if (!existsSync(target)) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  removeOldBuilds(target);
}

/** Every import is left to Node at run time; relative ones name the `.js` file the build writes beside. */
const importsStayImports = {
  name: 'imports-stay-imports',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const relativeImport = args.path.startsWith('./') || args.path.startsWith('../');
      return { path: relativeImport ? args.path.replace(/\.tsx?$/, '.js') : args.path, external: true };
    });
  },
};

function copyInto(staging, file) {
  const destination = join(staging, relative(ROOT, file));
  mkdirSync(join(destination, '..'), { recursive: true });
  cpSync(file, destination, { recursive: true });
}

/** Keeps the newest builds; a half-written one is another start's work, unless it was abandoned an hour ago. */
function removeOldBuilds(current) {
  const entries = readdirSync(CACHE, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && join(CACHE, entry.name) !== current)
    .map((entry) => ({ name: entry.name, path: join(CACHE, entry.name) }))
    .map((entry) => ({ ...entry, at: statSync(entry.path).mtimeMs }));
  const builds = entries.filter((entry) => !entry.name.endsWith('.tmp')).sort((a, b) => b.at - a.at);
  const abandoned = entries.filter(
    (entry) => entry.name.endsWith('.tmp') && entry.at < Date.now() - 3_600_000,
  );
  for (const old of [...builds.slice(KEPT_BUILDS), ...abandoned])
    rmSync(old.path, { recursive: true, force: true });
}

// `node bin/compile.js [folder…]` builds (or finds) the copy and prints where it is.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const folders = process.argv.slice(2);
  const tree = await compiledTree(folders.length > 0 ? folders : ['src']);
  if (!tree) process.exitCode = 1;
  else console.log(fileURLToPath(tree));
}
