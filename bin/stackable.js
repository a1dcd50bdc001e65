#!/usr/bin/env node
// Entry point for `npm start` and the `stackable` command. A fresh clone needs no build step: the app runs from a
// JavaScript copy of src/ that this start builds when the sources changed (bin/compile.js), which saves about
// 70 MB of memory per process against running the TypeScript through tsx's loader. Where the copy cannot be
// built, or with STACKABLE_TSX=1 (working on the code, say), the TypeScript runs through tsx as before.
import { compiledTree } from './compile.js';

const tree = process.env.STACKABLE_TSX === '1' ? null : await compiledTree(['src']);
let main;
if (tree) {
  // Stack traces name the TypeScript files and lines, through the copy's source maps.
  process.setSourceMapsEnabled(true);
  ({ main } = await import(new URL('src/cli/main.js', tree).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
