/**
 * The prebuilt texts of the programs a canonicalizer has seen (prebuilt-nquads.ts), found by a template and
 * its program values. A program's text is made on its second document, so values that never recur (a
 * program part that is really the learner's) cost a lookup, never a prebuild.
 */
import type { CanonicalTemplate } from './canonical-template.ts';
import type { SlotValue } from './document-shape.ts';
import { isVerbatimIri } from './nquads-terms.ts';
import { type PrebuiltNQuads, prebuildNQuads } from './prebuilt-nquads.ts';

/** A template with what its programs' prebuilt texts need. */
export type ProgramTemplate = CanonicalTemplate & {
  /** Tells templates apart in the texts' keys. */
  serial: string;
  /** The slots holding program values, in slot order. */
  programSlots: readonly number[];
  /** The IRI slots that are the learner's: the only ones a prebuilt text does not vouch for. */
  learnerIriSlots: readonly number[];
};

/** The slots of a template that hold program values, given each slot's path (slotPaths). */
export function programSlotsOf(paths: readonly string[], parts: readonly string[]): number[] {
  const slots: number[] = [];
  paths.forEach((path, slot) => {
    if (parts.some((part) => path === part || path.startsWith(`${part}.`))) slots.push(slot);
  });
  return slots;
}

interface ProgramText {
  values: SlotValue[];
  /** Null for a program whose badges always take the general fill. */
  text: PrebuiltNQuads | null;
}

/** Texts sharing a key: a key tells programs apart by a hash of their values' lengths and last characters. */
const MAX_PER_KEY = 4;

export class ProgramTexts {
  readonly #byKey = new Map<string, ProgramText[]>();
  #count = 0;
  readonly #seenOnce = new Set<string>();
  /** How many texts were made. */
  made = 0;

  constructor(private readonly capacity: number) {}

  /**
   * The prebuilt text for a document of `template` with these slots, made now if its program is seen for
   * the second time; undefined when there is none. `terms` are the context terms of the document's shape:
   * a text is only made when the program's IRIs reach the RDF as written (pinned values have their own
   * template), so a text found again vouches for them and the caller checks the learner's IRIs alone.
   */
  find(
    template: ProgramTemplate,
    slots: readonly SlotValue[],
    terms: ReadonlySet<string>,
  ): PrebuiltNQuads | undefined {
    // Building a key of the whole values would cost more than comparing them: the key is a hash of their
    // lengths and last characters, and the values decide.
    let hash = 0x811c9dc5;
    for (const slot of template.programSlots) {
      const value = slots[slot];
      const code =
        typeof value === 'string'
          ? value.length * 65_536 + (value.charCodeAt(value.length - 1) | 0)
          : Math.trunc(value as number) | 0;
      hash = Math.imul(hash ^ code, 0x01000193);
    }
    const key = `${template.serial}:${hash}`;
    const texts = this.#byKey.get(key);
    if (texts) {
      for (const known of texts) {
        if (sameValues(known.values, template.programSlots, slots)) return known.text ?? undefined;
      }
    }
    if (!this.#seenOnce.has(key)) {
      if (this.#seenOnce.size >= this.capacity * 4) this.#seenOnce.clear();
      this.#seenOnce.add(key);
      return undefined;
    }
    const known: ProgramText = {
      values: template.programSlots.map((slot) => slots[slot]!),
      text: programIrisAreVerbatim(template, slots, terms)
        ? prebuildNQuads(template, slots, template.programSlots)
        : null,
    };
    this.#remember(key, known);
    this.made += 1;
    return known.text ?? undefined;
  }

  #remember(key: string, known: ProgramText): void {
    if (this.#count >= this.capacity) {
      const oldest = this.#byKey.keys().next().value;
      if (oldest !== undefined) {
        this.#count -= this.#byKey.get(oldest)!.length;
        this.#byKey.delete(oldest);
      }
    }
    const texts = this.#byKey.get(key) ?? [];
    if (texts.length >= MAX_PER_KEY) {
      texts.shift();
      this.#count -= 1;
    }
    texts.push(known);
    this.#byKey.set(key, texts);
    this.#count += 1;
  }
}

function programIrisAreVerbatim(
  template: ProgramTemplate,
  slots: readonly SlotValue[],
  terms: ReadonlySet<string>,
): boolean {
  const learners = new Set(template.learnerIriSlots);
  return template.iriSlots.every((slot) => learners.has(slot) || isVerbatimIri(slots[slot] as string, terms));
}

function sameValues(
  values: readonly SlotValue[],
  programSlots: readonly number[],
  slots: readonly SlotValue[],
): boolean {
  for (let i = 0; i < values.length; i += 1) {
    if (!Object.is(values[i], slots[programSlots[i]!])) return false;
  }
  return true;
}
