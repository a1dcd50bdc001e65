/**
 * The variable that keeps glibc's malloc (Linux) giving freed memory back, and its value: 128 KB, glibc's own
 * starting trim threshold. Left alone, glibc raises its trim and mmap thresholds each time a large block is freed,
 * up to 64 and 32 MB, and from then on keeps up to that much freed memory in each of its arenas instead of returning
 * it. Large blocks are freed from the start (PGlite reads its 9 MB WebAssembly file and 6 MB data file into
 * buffers), and V8's background threads each fill an arena with short-lived memory, so a PGlite process issuing a
 * 10,000-row list held 292 MB of malloc memory of which 42 MB was in use (glibc's `malloc_stats`). Naming a
 * threshold turns the raising off. glibc reads it only when the process starts, so `npm start` and `npm run dev`
 * set it in `package.json`, and an operator who starts `stackable` another way (a service unit, a container) sets
 * it there; other C libraries (musl, macOS) ignore it. Measured in docs/performance.md, "PGlite's memory and glibc's malloc".
 */
export const NATIVE_HEAP_VARIABLE = 'MALLOC_TRIM_THRESHOLD_';
export const NATIVE_HEAP_TRIM_BYTES = 131_072;

/**
 * `env` with the trim threshold added, as `npm start` adds it, unless whoever starts the process chose malloc's
 * thresholds themselves (the variables, or GLIBC_TUNABLES). For processes the app or its benches start.
 */
export function withNativeHeapSetting(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const chosen =
    env.MALLOC_TRIM_THRESHOLD_ !== undefined ||
    env.MALLOC_MMAP_THRESHOLD_ !== undefined ||
    /glibc\.malloc\.(trim|mmap)_threshold/.test(env.GLIBC_TUNABLES ?? '');
  return chosen ? env : { ...env, [NATIVE_HEAP_VARIABLE]: String(NATIVE_HEAP_TRIM_BYTES) };
}
