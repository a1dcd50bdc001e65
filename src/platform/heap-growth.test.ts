import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HEAP_GROWING_PERCENT, heapFlagToSet } from './heap-growth.ts';

describe('heap growth at start', () => {
  it('sets the growth limit when nobody chose the heap size', () => {
    assert.equal(heapFlagToSet([], undefined), `--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    assert.equal(
      heapFlagToSet(['--enable-source-maps'], '--trace-warnings'),
      `--heap-growing-percent=${HEAP_GROWING_PERCENT}`,
    );
  });

  it("leaves an operator's own choice alone, in the arguments or NODE_OPTIONS, spelled with - or _", () => {
    for (const [argv, options] of [
      [['--max-old-space-size=512'], undefined],
      [[], '--trace-warnings --max-old-space-size=1024'],
      [[], '--max_old_space_size=1024'],
      [['--heap-growing-percent=50'], ''],
      [[], '--optimize-for-size'],
    ] as const) {
      assert.equal(heapFlagToSet(argv, options), null, `${argv.join(' ')} | ${options}`);
    }
  });
});
