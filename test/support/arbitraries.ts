import fc from 'fast-check';

/** The surrogate code points, which no well-formed string holds on their own. */
const SURROGATES = 0xe000 - 0xd800;

/**
 * Any Unicode scalar value as a one-character string: the same values, for the same seed, as fast-check's
 * `unit: 'binary'`. That unit turns a string back into its choices through a map of all 1,112,064 code points, built
 * the first time it is needed (1.7 s) and kept by fast-check for the life of the process (85 MB, a million strings):
 * a test shard runs many files in one process, and every later full collection there walked it again. This one
 * works the choice out from the code point instead.
 */
export const anyCodePoint: fc.Arbitrary<string> = fc.nat({ max: 0x10ffff - SURROGATES }).map(
  (choice) => String.fromCodePoint(choice < 0xd800 ? choice : choice + SURROGATES),
  (value) => {
    const code = typeof value === 'string' ? value.codePointAt(0) : undefined;
    if (code === undefined || String.fromCodePoint(code) !== value || (code >= 0xd800 && code < 0xe000)) {
      throw new Error('not one Unicode scalar value');
    }
    return code < 0xd800 ? code : code - SURROGATES;
  },
);

/** Strings of any Unicode scalar values (fast-check's `fc.string({ unit: 'binary' })`, see `anyCodePoint`). */
export const anyText = (constraints: Omit<fc.StringConstraints, 'unit'> = {}): fc.Arbitrary<string> =>
  fc.string({ ...constraints, unit: anyCodePoint });
