/**
 * A canonical template: the RDF quads of one document shape, computed once by the real JSON-LD
 * processor from a probe document whose free values are placeholders, with each placeholder traced
 * back to its slot. Filling the template with another document's values gives that document's quads
 * without running JSON-LD expansion again (see canonical-nquads.ts).
 */
import type { RdfQuad, RdfTerm } from '@digitalcredentials/jsonld';
import { NUMBER_PLACEHOLDER, type SlotValue, STRING_PLACEHOLDER } from './document-shape.ts';
import {
  escapeIri,
  escapeLiteral,
  formatJsonLdNumber,
  isJsonLdDouble,
  literalSuffix,
} from './nquads-terms.ts';

/** One position of a quad: fixed text, a free value, or a blank node to be labelled later. */
export type TermPattern =
  | { kind: 'fixed'; text: string }
  /** A free value the processor used as an IRI, unchanged. */
  | { kind: 'iri'; slot: number }
  /** A free string used as a literal; `suffix` carries its datatype or language. */
  | { kind: 'literal'; slot: number; suffix: string }
  /** A free number; `asDouble` when written in the canonical double form. */
  | { kind: 'number'; slot: number; asDouble: boolean; suffix: string }
  | { kind: 'blank'; index: number };

export interface QuadPattern {
  subject: TermPattern;
  /** The predicate with the spaces around it, e.g. ` <https://schema.org/name> `. */
  predicate: string;
  object: TermPattern;
}

export interface CanonicalTemplate {
  quads: QuadPattern[];
  /** How many blank nodes the shape has; blank patterns index them from 0. */
  blankNodes: number;
  /** The slots the processor reads as IRIs; their real values must pass isVerbatimIri. */
  iriSlots: number[];
  /**
   * Whether a statement repeated once the slots are filled may be dropped as JSON-LD merges nodes that
   * share an id: true when the expanded probe has no `@index` (see canonical-nquads.ts).
   */
  mergeable: boolean;
}

const RDF_JSON = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON';

/** Why a shape has no template; such documents always take the reference canonicalizer. */
export class NoTemplateError extends Error {}

/**
 * Traces the probe's quads back to slots. `slots` are the real document's values (only their types
 * matter here) and `pinned` the slots whose real values went into the probe. Refuses, rather than
 * guesses, whenever a placeholder did not come through whole and exactly once where it should.
 */
export function compileTemplate(
  probeQuads: readonly RdfQuad[],
  slots: readonly SlotValue[],
  pinned: ReadonlySet<number>,
): CanonicalTemplate {
  const numberTexts = new Map<string, { slot: number; asDouble: boolean }>();
  slots.forEach((value, slot) => {
    if (typeof value !== 'number' || pinned.has(slot)) return;
    const placeholder = NUMBER_PLACEHOLDER + slot + (isJsonLdDouble(value) ? 0.5 : 0);
    // An integer slot typed xsd:double by the context comes out in the double form.
    numberTexts.set(formatJsonLdNumber(placeholder, true), { slot, asDouble: true });
    if (!isJsonLdDouble(placeholder)) {
      numberTexts.set(formatJsonLdNumber(placeholder, false), { slot, asDouble: false });
    }
  });
  const blankIndex = new Map<string, number>();
  const seenAs = new Map<number, { kind: 'iri' | 'literal'; count: number }>();
  const note = (slot: number, kind: 'iri' | 'literal') => {
    const seen = seenAs.get(slot);
    if (seen && seen.kind !== kind) throw new NoTemplateError(`Slot ${slot} is both an IRI and a literal.`);
    seenAs.set(slot, { kind, count: (seen?.count ?? 0) + 1 });
  };

  const stringSlotOf = (text: string): number | undefined => {
    if (!text.startsWith(STRING_PLACEHOLDER)) {
      if (text.includes(STRING_PLACEHOLDER)) throw new NoTemplateError('A placeholder was rewritten.');
      return undefined;
    }
    const slot = Number(text.slice(STRING_PLACEHOLDER.length));
    if (!Number.isInteger(slot) || typeof slots[slot] !== 'string' || pinned.has(slot)) {
      throw new NoTemplateError(`Unexpected placeholder ${text}.`);
    }
    return slot;
  };

  const resource = (term: RdfTerm): TermPattern => {
    if (term.termType === 'BlankNode') {
      let index = blankIndex.get(term.value);
      if (index === undefined) {
        index = blankIndex.size;
        blankIndex.set(term.value, index);
      }
      return { kind: 'blank', index };
    }
    if (term.termType !== 'NamedNode') throw new NoTemplateError(`Unexpected ${term.termType} term.`);
    const slot = stringSlotOf(term.value);
    if (slot === undefined) return { kind: 'fixed', text: `<${escapeIri(term.value)}>` };
    note(slot, 'iri');
    return { kind: 'iri', slot };
  };

  const object = (term: RdfTerm): TermPattern => {
    if (term.termType !== 'Literal') return resource(term);
    const datatype = term.datatype?.value;
    // A JSON literal is the canonical JSON of the value, whose text rules differ from RDF's.
    if (datatype === RDF_JSON) throw new NoTemplateError('JSON literals are not templated.');
    const suffix = literalSuffix(datatype, term.language);
    if (suffix.includes(STRING_PLACEHOLDER)) throw new NoTemplateError('A placeholder became a datatype.');
    const slot = stringSlotOf(term.value);
    if (slot !== undefined) {
      note(slot, 'literal');
      return { kind: 'literal', slot, suffix };
    }
    const number = numberTexts.get(term.value);
    if (number !== undefined) {
      note(number.slot, 'literal');
      return { kind: 'number', slot: number.slot, asDouble: number.asDouble, suffix };
    }
    return { kind: 'fixed', text: `"${escapeLiteral(term.value)}"${suffix}` };
  };

  const quads = probeQuads.map((quad): QuadPattern => {
    if (quad.graph.termType !== 'DefaultGraph') throw new NoTemplateError('Named graphs are not templated.');
    if (quad.predicate.termType !== 'NamedNode' || quad.predicate.value.includes(STRING_PLACEHOLDER)) {
      throw new NoTemplateError('A placeholder became a predicate.');
    }
    return {
      subject: resource(quad.subject),
      predicate: ` <${escapeIri(quad.predicate.value)}> `,
      object: object(quad.object),
    };
  });

  const iriSlots: number[] = [];
  slots.forEach((_, slot) => {
    if (pinned.has(slot)) return;
    const seen = seenAs.get(slot);
    // A value that left no trace (or two) was dropped or copied by the processor: not safe to template.
    if (!seen) throw new NoTemplateError(`Slot ${slot} does not appear in the RDF.`);
    if (seen.kind === 'literal' && seen.count !== 1) throw new NoTemplateError(`Slot ${slot} appears twice.`);
    if (seen.kind === 'iri') iriSlots.push(slot);
  });
  return { quads, blankNodes: blankIndex.size, iriSlots, mergeable: false };
}
