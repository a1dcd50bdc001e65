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

const letters = (from: string) => ({
  num: 26,
  build: (i: number) => String.fromCharCode(from.charCodeAt(0) + i),
});
const digits = { num: 10, build: (i: number) => String.fromCharCode(48 + i) };

/** One character of a URL part: mostly letters, digits and the part's own `others`, sometimes any percent-encoded. */
const urlCharacter = (others: string): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 10,
      arbitrary: fc.mapToConstant(letters('a'), letters('A'), digits, {
        num: others.length,
        build: (i) => others[i] ?? '',
      }),
    },
    {
      weight: 1,
      arbitrary: anyCodePoint.map(
        (c) => (encodeURIComponent(c) !== c ? encodeURIComponent(c) : `%${c.charCodeAt(0).toString(16)}`),
        (value) => decodeURIComponent(value as string),
      ),
    },
  );

/**
 * Web URLs built as fast-check's `webUrl({ withQueryParameters: true, withFragments: true })` builds them (a scheme,
 * an authority, path segments, an optional query and fragment, characters sometimes percent-encoded), from
 * `anyCodePoint`: fast-check's own path, query and fragment parts use its `binary` unit (see `anyCodePoint`), and only
 * building one cost 1.4 s and 85 MB kept for the process.
 */
export const aWebUrl = (): fc.Arbitrary<string> => {
  const segment = fc.string({ unit: urlCharacter("-._~!$&'()*+,;=:@") });
  const rest = fc.string({ unit: urlCharacter("-._~!$&'()*+,;=:@/?") });
  return fc
    .tuple(
      fc.constantFrom('http', 'https'),
      fc.webAuthority(),
      fc.array(segment).map((segments) => segments.map((s) => `/${s}`).join('')),
      fc.option(rest),
      fc.option(rest),
    )
    .map(
      ([scheme, authority, path, query, fragment]) =>
        `${scheme}://${authority}${path}${query === null ? '' : `?${query}`}${fragment === null ? '' : `#${fragment}`}`,
    );
};
