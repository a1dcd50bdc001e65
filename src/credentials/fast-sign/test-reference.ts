/**
 * The reference the canonicalizer's differential tests compare against (test support only): the eddsa-rdfc-2022
 * cryptosuite's own canonize (jsonld.toRDF + rdf-canonize), exactly as the app signs, with one difference in how
 * its contexts are served. The app's loader marks no context as static, so jsonld resolves every context afresh
 * for each document (its cache of resolved contexts only keeps those tagged 'static'). The contexts are the
 * repository's fixed copies, so here they are tagged 'static' and resolved once for all the documents of a run:
 * the same N-Quads (the processor's own cache, as it uses it for its bundled contexts), at about a sixth less CPU
 * per document.
 */
import { cryptosuite as eddsaRdfc2022 } from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';
import { createDocumentLoader, type LoadedDocument } from '../document-loader.ts';

const documentLoader = createDocumentLoader();
const staticLoader = async (url: string): Promise<LoadedDocument & { tag: 'static' }> => ({
  ...(await documentLoader(url)),
  tag: 'static',
});

/** The reference canonical N-Quads of a document (a copy of it: the processor must not see later changes). */
export const referenceCanonize = (document: object): Promise<string> =>
  eddsaRdfc2022.canonize(structuredClone(document), {
    documentLoader: staticLoader,
    base: null,
    safe: true,
  });
