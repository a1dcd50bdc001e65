import type { DocumentLoader } from '../document-loader.ts';

/**
 * Every name defined anywhere in a document's contexts: top-level terms, terms of scoped contexts and
 * of the contexts they import. A superset is harmless (it only sends more values to the slow path);
 * a missing term would not be, so the walk errs on the side of collecting too much.
 */
export async function collectContextTerms(context: unknown, load: DocumentLoader): Promise<Set<string>> {
  const terms = new Set<string>();
  const visited = new Set<string>();

  const visitUrl = async (url: string): Promise<void> => {
    if (visited.has(url)) return;
    visited.add(url);
    const { document } = await load(url);
    const parsed = typeof document === 'string' ? (JSON.parse(document) as unknown) : document;
    await visit((parsed as { '@context'?: unknown } | null)?.['@context'] ?? null);
  };

  const visit = async (value: unknown): Promise<void> => {
    if (typeof value === 'string') return visitUrl(value);
    if (Array.isArray(value)) {
      for (const item of value) await visit(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [name, field] of Object.entries(value)) {
      if (!name.startsWith('@')) terms.add(name);
      // Strings are references to other contexts only under @context and @import.
      if (name === '@context' || name === '@import') await visit(field);
      else if (field !== null && typeof field === 'object') await visit(field);
    }
  };

  await visit(context);
  return terms;
}
