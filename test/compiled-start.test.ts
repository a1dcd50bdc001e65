import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { compiledTree } from '../bin/compile.js';
import { buildOpenBadgeCredential } from '../src/credentials/build-credential.ts';
import { eddsaJwtKey } from '../src/credentials/credential-jwt.ts';
import { createFastJwtSigner } from '../src/credentials/fast-sign/fast-jwt.ts';
import { createFastVerifier } from '../src/credentials/fast-sign/fast-verifier.ts';
import type { createSigningPool as CreateSigningPool } from '../src/credentials/fast-sign/signing-pool.ts';
import { newDidKeySigningKey, sampleBadgeInput } from '../src/credentials/test-fixtures.ts';

const run = promisify(execFile);
const STACKABLE = fileURLToPath(new URL('../bin/stackable.js', import.meta.url));

/** The JavaScript copy `bin/stackable.js` runs the app from (bin/compile.js). */
async function tree(): Promise<URL> {
  const url = await compiledTree();
  assert.ok(url, 'the copy could be built');
  return url;
}

describe('the JavaScript copy of the app', () => {
  test('is what the command runs, and a second start finds it built', async () => {
    const first = await tree();
    assert.ok(existsSync(new URL('src/cli/main.js', first)));
    assert.ok(
      existsSync(new URL('src/platform/http/site.css', first)),
      'files read beside the code are copied',
    );
    assert.equal((await tree()).href, first.href);
    const { stdout } = await run(process.execPath, [STACKABLE, 'help'], {
      env: { ...process.env, STACKABLE_TSX: '0' },
    });
    assert.match(stdout, /^Usage: stackable <command>/);
    // `help` loads no command (main.ts imports each when it runs): every command's module, and the app they
    // build, must load from the copy all the same.
    const commands = readdirSync(new URL('src/cli/', first)).filter((name) =>
      /^(serve|.*-commands)\.js$/.test(name),
    );
    assert.ok(commands.length > 5, commands.join(', '));
    for (const name of commands) await import(new URL(`src/cli/${name}`, first).href);
  });

  test('the command still runs the TypeScript through tsx when asked to', async () => {
    const { stdout } = await run(process.execPath, [STACKABLE, 'help'], {
      env: { ...process.env, STACKABLE_TSX: '1' },
    });
    assert.match(stdout, /^Usage: stackable <command>/);
  });

  test("names the TypeScript file and line in a stack trace, through the copy's source maps", async () => {
    const config = new URL('src/platform/config.js', await tree()).href;
    const script = `process.setSourceMapsEnabled(true);
      const { loadConfig } = await import(${JSON.stringify(config)});
      try { loadConfig({ PORT: 'not a port' }); } catch (error) { console.log(error.stack); }`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
    assert.match(stdout, /PORT/);
    assert.match(stdout, /src\/platform\/config\.ts:\d+:\d+/);
    assert.doesNotMatch(stdout, /config\.js/);
  });

  test('signs in a thread that loads the compiled worker, the same badges as the TypeScript signers', async () => {
    const url = new URL('src/credentials/fast-sign/signing-pool.js', await tree()).href;
    const { createSigningPool } = (await import(url)) as { createSigningPool: typeof CreateSigningPool };
    const key = await newDidKeySigningKey();
    const jwtKey = await eddsaJwtKey(key);
    const unsigned = Array.from({ length: 6 }, (_, index) =>
      buildOpenBadgeCredential({
        ...sampleBadgeInput(key.did),
        id: `urn:uuid:00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      }),
    );
    const pool = createSigningPool(key, { threads: 1, batchSize: 4, jwtKey });
    try {
      const signed = await pool.signManyWithJwt(unsigned);
      const verifier = createFastVerifier([key]);
      const jwtSigner = createFastJwtSigner(jwtKey);
      for (const [index, { credential, jwt }] of signed.entries()) {
        assert.equal(credential.id, unsigned[index]!.id);
        assert.equal((await verifier.verify(credential)).status, 'valid');
        assert.equal(jwt, await jwtSigner.sign(unsigned[index]!));
      }
    } finally {
      await pool.close();
    }
  });
});
