/**
 * RDFC-1.0 canonical N-Quads for JSON-LD documents, fast for documents whose shape has been seen before
 * and exact for all: whatever the template path cannot prove it handles goes to the reference code (the
 * eddsa-rdfc-2022 cryptosuite's own canonize, i.e. jsonld.toRDF + rdf-canonize).
 *
 * Per new shape the JSON-LD processor runs once, on a probe document (document-shape.ts); after that a
 * document costs a walk over its values, a few string joins, one SHA-256 per blank node and a sort. For a
 * program seen twice, its badges' text is prebuilt (prebuilt-nquads.ts): a badge then costs little more
 * than its learner's values.
 */

import { cryptosuite as eddsaRdfc2022 } from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';
import jsonld from '@digitalcredentials/jsonld';
import { BoundedMap } from '../../platform/bounded-map.ts';
import { createDocumentLoader, type DocumentLoader } from '../document-loader.ts';
import { canonicalNQuads } from './canonical-nquads.ts';
import { compileTemplate, NoTemplateError } from './canonical-template.ts';
import { collectContextTerms } from './context-terms.ts';
import {
  buildProbe,
  type DocumentShape,
  describeShape,
  type SlotValue,
  STRING_PLACEHOLDER,
  slotPaths,
  UnsupportedShapeError,
} from './document-shape.ts';
import { isVerbatimIri } from './nquads-terms.ts';
import { fillPrebuilt } from './prebuilt-nquads.ts';
import { type ProgramTemplate, ProgramTexts, programSlotsOf } from './program-texts.ts';
import { readShape, ShapeKeys, type ShapeReading } from './shape-code.ts';

/** How many documents took each path; the benchmark and tests read these. */
export interface CanonicalizerStats {
  /** Canonicalized from a template. */
  fast: number;
  /** Handed to the reference code, by reason. */
  reference: Record<'unsupported-value' | 'no-template' | 'blank-node-tie' | 'repeated-quad', number>;
  /** Templates compiled (each one JSON-LD run on a probe). */
  templates: number;
  /** Of the fast ones, documents with nodes sharing an id whose repeated statements were merged. */
  merged: number;
  /** Of the fast ones, documents written from a program's prebuilt text. */
  prebuilt: number;
  /** Prebuilt texts made (one per template and program values, on the program's second document). */
  programs: number;
}

export interface Canonicalizer {
  /** The RDFC-1.0 canonical N-Quads of a JSON-LD document, as eddsa-rdfc-2022 signs them. */
  canonize(document: object): Promise<string>;
  /**
   * The same, at once, when the document's shape has a ready template and fills it cleanly; otherwise
   * undefined (and `canonize` is the way). Saves the promise round trips on the hot path.
   */
  canonizeIfReady(document: object): string | undefined;
  /** canonizeIfReady for a document already read by readShape (the reading is of `document`). */
  canonizeReadingIfReady(document: object, reading: ShapeReading): string | undefined;
  readonly stats: CanonicalizerStats;
}

export interface CanonicalizerOptions {
  /** Serves the contexts; defaults to Stackable's offline loader. */
  documentLoader?: DocumentLoader;
  /** Templates kept (oldest dropped first); each shape or pinned-value combination is one. */
  maxTemplates?: number;
  /**
   * Where a document holds the values every credential of one program shares (paths as slotPaths writes
   * them; a path covers everything under it). Their values key a prebuilt text; the rest are the learner's.
   * Only speed depends on the choice: any gives the same bytes. Defaults to OPEN_BADGE_PROGRAM_PARTS.
   */
  programParts?: readonly string[];
  /** Prebuilt texts kept, all templates together (oldest dropped first). */
  maxPrograms?: number;
}

/**
 * The parts of an OpenBadgeCredential as Stackable builds them (build-credential.ts) that are the same for
 * every badge of a program: its issuer, the badge's name, description and image (the program's), the
 * achievement, the schema, and the status list an entry points into. Ids, dates, the recipient, credits,
 * term, evidence and the status index are the learner's.
 */
export const OPEN_BADGE_PROGRAM_PARTS: readonly string[] = [
  'issuer',
  'name',
  'description',
  'image',
  'credentialSchema',
  'credentialSubject.achievement',
  'credentialStatus.statusPurpose',
  'credentialStatus.statusListCredential',
];

const REFERENCE_OPTIONS = { base: null, safe: true } as const;

/** Creates a canonicalizer with its own template cache. */
export function createCanonicalizer(options: CanonicalizerOptions = {}): Canonicalizer {
  const documentLoader = options.documentLoader ?? createDocumentLoader();
  const maxTemplates = options.maxTemplates ?? 256;
  const programParts = options.programParts ?? OPEN_BADGE_PROGRAM_PARTS;
  const maxPrograms = options.maxPrograms ?? 512;
  // A null entry remembers that a shape cannot be templated, so it goes straight to the reference.
  const templates = new BoundedMap<string, ProgramTemplate | null>(maxTemplates);
  const compiling = new Map<string, Promise<ProgramTemplate | null>>();
  let serials = 0;
  const programTexts = new ProgramTexts(maxPrograms);
  const termsByContext = new BoundedMap<string, Promise<ReadonlySet<string>>>(maxTemplates);
  // The context terms once known, by shape key (a shape key includes every context of the document).
  const termsByShape = new BoundedMap<string, ReadonlySet<string>>(maxTemplates);
  const shapeKeys = new ShapeKeys(maxTemplates * 4);
  const stats: CanonicalizerStats = {
    fast: 0,
    reference: { 'unsupported-value': 0, 'no-template': 0, 'blank-node-tie': 0, 'repeated-quad': 0 },
    templates: 0,
    merged: 0,
    prebuilt: 0,
    programs: 0,
  };

  const reference = (document: object, reason: keyof CanonicalizerStats['reference']) => {
    stats.reference[reason] += 1;
    return eddsaRdfc2022.canonize(document, { documentLoader, ...REFERENCE_OPTIONS });
  };

  // Terms of every context in the document: an embedded context can define a prefix too.
  const termsOf = (contexts: readonly unknown[]): Promise<ReadonlySet<string>> => {
    const key = JSON.stringify(contexts);
    let pending = termsByContext.get(key);
    if (!pending) {
      pending = collectContextTerms(contexts, documentLoader);
      termsByContext.set(key, pending);
      pending.catch(() => termsByContext.delete(key));
    }
    return pending;
  };

  const templateFor = async (
    key: string,
    document: object,
    shape: DocumentShape,
    pinned: ReadonlyMap<number, SlotValue>,
  ): Promise<ProgramTemplate | null> => {
    const known = templates.get(key);
    if (known !== undefined) return known;
    let pending = compiling.get(key);
    if (!pending) {
      pending = compile(document, shape.slots, pinned).finally(() => compiling.delete(key));
      compiling.set(key, pending);
    }
    const template = await pending;
    templates.set(key, template);
    return template;
  };

  const compile = async (
    document: object,
    slots: readonly SlotValue[],
    pinned: ReadonlyMap<number, SlotValue>,
  ): Promise<ProgramTemplate | null> => {
    let quads: Awaited<ReturnType<typeof jsonld.toRDF>>;
    let expanded: unknown;
    const probe = buildProbe(document, pinned);
    try {
      quads = await jsonld.toRDF(probe, {
        ...REFERENCE_OPTIONS,
        documentLoader,
        rdfDirection: 'i18n-datatype',
        produceGeneralizedRdf: false,
      });
      expanded = await jsonld.expand(probe, { ...REFERENCE_OPTIONS, documentLoader });
    } catch {
      // The processor refused the probe; the reference path will give the real document's own error.
      return null;
    }
    stats.templates += 1;
    try {
      const template = compileTemplate(quads, slots, new Set(pinned.keys()));
      const paths = slotPaths(document);
      // Only if the two walks agree, as they do for any document describeShape accepts.
      const programSlots = paths.length === slots.length ? programSlotsOf(paths, programParts) : [];
      const isProgram = new Set(programSlots);
      return {
        ...template,
        mergeable: !hasKey(expanded, '@index'),
        serial: `${serials++}`,
        programSlots,
        learnerIriSlots: template.iriSlots.filter((slot) => !isProgram.has(slot)),
      };
    } catch (error) {
      if (error instanceof NoTemplateError) return null;
      throw error;
    }
  };

  /** The document from its program's prebuilt text, if it has one and the document fits it. */
  const fromProgram = (
    template: ProgramTemplate,
    slots: readonly SlotValue[],
    terms: ReadonlySet<string>,
  ): string | undefined => {
    const prebuilt = programTexts.find(template, slots, terms);
    stats.programs = programTexts.made;
    if (prebuilt === undefined) return undefined;
    for (const slot of template.learnerIriSlots) {
      if (!isVerbatimIri(slots[slot] as string, terms)) return undefined;
    }
    const nquads = fillPrebuilt(prebuilt, slots);
    if (nquads === undefined) return undefined;
    stats.fast += 1;
    stats.prebuilt += 1;
    if (prebuilt.merged) stats.merged += 1;
    return nquads;
  };

  /** The canonical form from a document's shape key and free values, when its templates are ready. */
  const fromShape = (key: string, slots: readonly SlotValue[]): string | undefined => {
    let template = templates.get(key);
    const terms = termsByShape.get(key);
    if (!template || !terms) return undefined;
    const prebuilt = fromProgram(template, slots, terms);
    if (prebuilt !== undefined) return prebuilt;
    let pinned: Map<number, SlotValue> | undefined;
    for (const slot of template.iriSlots) {
      const value = slots[slot] as string;
      if (isVerbatimIri(value, terms)) continue;
      pinned ??= new Map();
      pinned.set(slot, value);
    }
    if (pinned) {
      // The same key canonize gives the pinned template; anything unusual is left to canonize.
      template = templates.get(`${key}|${JSON.stringify([...pinned])}`);
      if (!template) return undefined;
      for (const slot of template.iriSlots) {
        if (!isVerbatimIri(slots[slot] as string, terms)) return undefined;
      }
      const prebuiltPinned = fromProgram(template, slots, terms);
      if (prebuiltPinned !== undefined) return prebuiltPinned;
    }
    const filled = canonicalNQuads(template, slots);
    if (!filled.ok) return undefined;
    stats.fast += 1;
    if (filled.merged) stats.merged += 1;
    return filled.nquads;
  };

  const describedOrUndefined = (document: object): DocumentShape | undefined => {
    try {
      return describeShape(document);
    } catch (error) {
      if (error instanceof UnsupportedShapeError) return undefined;
      throw error;
    }
  };

  const canonizeReadingIfReady = (document: object, reading: ShapeReading): string | undefined => {
    const key = shapeKeys.find(reading);
    if (key !== undefined) return fromShape(key, reading.slots);
    // A shape read for the first time: its key from describeShape, kept for the next document.
    const shape = describedOrUndefined(document);
    if (shape === undefined) return undefined;
    shapeKeys.remember(reading, shape.key);
    return fromShape(shape.key, shape.slots);
  };

  const canonizeIfReady = (document: object): string | undefined => {
    const reading = readShape(document, false);
    if (reading !== undefined) return canonizeReadingIfReady(document, reading);
    const shape = describedOrUndefined(document);
    return shape === undefined ? undefined : fromShape(shape.key, shape.slots);
  };

  const canonize = async (document: object): Promise<string> => {
    const ready = canonizeIfReady(document);
    if (ready !== undefined) return ready;
    let shape: DocumentShape;
    try {
      shape = describeShape(document);
    } catch (error) {
      if (error instanceof UnsupportedShapeError) return reference(document, 'unsupported-value');
      throw error;
    }
    let template = await templateFor(shape.key, document, shape, new Map());
    if (template === null) return reference(document, 'no-template');

    // Values the processor would rewrite (terms, compact IRIs, relative references) are pinned: put
    // into the probe as they are, giving a template specific to them.
    const terms = await termsOf(shape.contexts);
    if (!termsByShape.has(shape.key)) termsByShape.set(shape.key, terms);
    const pinned = new Map<number, SlotValue>();
    for (const slot of template.iriSlots) {
      const value = shape.slots[slot] as string;
      if (!isVerbatimIri(value, terms)) pinned.set(slot, value);
    }
    if (pinned.size > 0) {
      const values = [...pinned.values()];
      if (values.some((value) => String(value).includes(STRING_PLACEHOLDER))) {
        return reference(document, 'unsupported-value');
      }
      const key = `${shape.key}|${JSON.stringify([...pinned])}`;
      template = await templateFor(key, document, shape, pinned);
      if (template === null) return reference(document, 'no-template');
      // A pinned value can change how other values are read (a scoped context); check them again.
      for (const slot of template.iriSlots) {
        if (!isVerbatimIri(shape.slots[slot] as string, terms)) return reference(document, 'no-template');
      }
    }

    const prebuilt = fromProgram(template, shape.slots, terms);
    if (prebuilt !== undefined) return prebuilt;
    const filled = canonicalNQuads(template, shape.slots);
    if (!filled.ok) return reference(document, filled.reason);
    stats.fast += 1;
    if (filled.merged) stats.merged += 1;
    return filled.nquads;
  };

  return { canonize, canonizeIfReady, canonizeReadingIfReady, stats };
}

/** Whether `key` is a property name anywhere in a JSON value. */
function hasKey(value: unknown, key: string): boolean {
  if (Array.isArray(value)) return value.some((item) => hasKey(item, key));
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([name, field]) => name === key || hasKey(field, key));
}
