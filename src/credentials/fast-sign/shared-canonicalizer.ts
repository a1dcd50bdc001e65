import { type Canonicalizer, createCanonicalizer } from './canonicalizer.ts';

let processWide: Canonicalizer | undefined;

/**
 * The canonicalizer (and so the template cache) every signer and own-proof checker of this thread shares.
 *
 * Why one: a template is compiled by running the JSON-LD processor on the first document of its shape (20-100 ms of
 * CPU), and a cache per app began empty with every app: each test file that signs or checks a badge compiled the
 * same templates again, in a shard that builds one app per file. A process serving requests builds one app, so
 * there it changes nothing. Sharing is safe because what the cache answers depends only on the document it is
 * given (the default loader serves bundled contexts and did:key documents, never anything of an app's database),
 * and it is bounded by its own limits on templates and program texts. Worker threads have their own.
 */
export function sharedCanonicalizer(): Canonicalizer {
  processWide ??= createCanonicalizer();
  return processWide;
}
