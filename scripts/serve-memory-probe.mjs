// Loaded into `stackable serve` by scripts/serve-memory.mjs (`node --expose-gc --import …`): answers its
// questions over the IPC channel. Not part of the app.
//   measure: memory after a full garbage collection
//   pglite:  the same after importing PGlite's module, as every process did before it was loaded lazily
//   sign:    the same after starting the app's signing pool (the app's own thread count) and signing a batch,
//            with the reading taken just before the pool started, after the modules to make a key were loaded
import { availableParallelism } from 'node:os';
import { compiledTree } from '../bin/compile.js';

const MB = 1024 * 1024;

process.channel?.unref();
process.on('message', async ({ step }) => {
  if (step === 'measure') process.send(await memory());
  if (step === 'pglite') {
    await import('@electric-sql/pglite');
    process.send(await memory());
  }
  if (step === 'sign') process.send(await startSigning());
});

async function startSigning() {
  // The same modules the app runs: its JavaScript copy, or the TypeScript under tsx.
  const tree = process.env.STACKABLE_TSX === '1' ? new URL('../', import.meta.url) : await compiledTree();
  const ext = process.env.STACKABLE_TSX === '1' ? 'ts' : 'js';
  const load = (path) => import(new URL(`src/credentials/${path}.${ext}`, tree).href);
  const { createSigningPool } = await load('fast-sign/signing-pool');
  const { newDidKeySigningKey, sampleBadgeInput } = await load('test-fixtures');
  const { buildOpenBadgeCredential } = await load('build-credential');
  const { eddsaJwtKey } = await load('credential-jwt');
  const key = await newDidKeySigningKey();
  const jwtKey = await eddsaJwtKey(key);
  const badges = Array.from({ length: 50 }, (_, index) =>
    buildOpenBadgeCredential({
      ...sampleBadgeInput(key.did),
      id: `urn:uuid:00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    }),
  );
  const beforePool = await memory();
  // As CredentialSigner counts them: one core is left to requests.
  const threads = Math.min(2, Math.max(1, availableParallelism() - 1));
  const pool = createSigningPool(key, { threads, batchSize: 25, jwtKey });
  await pool.signManyWithJwt(badges);
  const after = await memory();
  await pool.close();
  return { ...after, threads, beforePool };
}

async function memory() {
  for (let round = 0; round < 3; round++) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const usage = process.memoryUsage();
  const cpu = process.cpuUsage();
  return {
    rss: Math.round(usage.rss / MB),
    heapUsed: Math.round(usage.heapUsed / MB),
    heapTotal: Math.round(usage.heapTotal / MB),
    external: Math.round(usage.external / MB),
    cpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100,
  };
}
