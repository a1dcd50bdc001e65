import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { NATIVE_HEAP_TRIM_BYTES, NATIVE_HEAP_VARIABLE, withNativeHeapSetting } from './native-heap.ts';

const ROOT = new URL('../../', import.meta.url);
const START = 'node bin/stackable.js serve';

/** What the app's process would see as the variable when `npm run <name>` runs its script through the shell. */
function seenByNpmRun(name: 'start' | 'dev', env: NodeJS.ProcessEnv): string {
  const { scripts } = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const script = scripts[name] ?? '';
  assert.ok(script.endsWith(START), script);
  const probe = `node -e "process.stdout.write(process.env.${NATIVE_HEAP_VARIABLE} ?? 'unset')"`;
  return execFileSync('sh', ['-c', script.replace(START, probe)], { env, encoding: 'utf8' });
}

describe("glibc malloc's trim threshold at start", () => {
  it('is added for a started process when nobody chose malloc thresholds', () => {
    const env = withNativeHeapSetting({ PATH: '/bin' });
    assert.equal(env[NATIVE_HEAP_VARIABLE], String(NATIVE_HEAP_TRIM_BYTES));
    assert.equal(env.PATH, '/bin');
  });

  it("leaves an operator's own malloc thresholds alone", () => {
    for (const chosen of [
      { MALLOC_TRIM_THRESHOLD_: '1048576' },
      { MALLOC_MMAP_THRESHOLD_: '262144' },
      { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.trim_threshold=65536' },
    ]) {
      assert.deepEqual(withNativeHeapSetting(chosen), chosen);
    }
    const arenasOnly = withNativeHeapSetting({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' });
    assert.equal(arenasOnly[NATIVE_HEAP_VARIABLE], String(NATIVE_HEAP_TRIM_BYTES));
  });

  // `npm run dev` serves the same app a developer measures and tries, so it gets the same setting.
  for (const name of ['start', 'dev'] as const) {
    it(`is passed by npm ${name === 'start' ? 'start' : 'run dev'}, unless the operator set it`, {
      skip: process.platform === 'win32' && 'npm runs scripts through cmd.exe there',
    }, () => {
      const { [NATIVE_HEAP_VARIABLE]: _, ...env } = process.env;
      assert.equal(seenByNpmRun(name, env), String(NATIVE_HEAP_TRIM_BYTES));
      assert.equal(seenByNpmRun(name, { ...env, [NATIVE_HEAP_VARIABLE]: '262144' }), '262144');
    });
  }
});
