#!/usr/bin/env node
// Entry point for `npm start` and the `stackable` command. TypeScript runs through tsx's loader,
// so a fresh clone needs no build step before it starts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
