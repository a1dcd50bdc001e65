/**
 * Witnesses: the sets of evidence (course and experience keys, see outcome.ts) that can meet a rule. A
 * `choose` is met when `count` different options have witnesses that share no evidence, which is how the
 * evaluator prevents double counting without guessing which course each option should use.
 *
 * Families are kept minimal (no witness contains another) and capped, because a handful of alternatives
 * is all a real requirement needs and the cap keeps a pathological rule from growing without bound.
 */

export type Witness = ReadonlySet<string>;

/** Alternatives kept per rule inside a `choose`. Outside any `choose` one witness is enough. */
export const witnessCapInsideChoose = 16;

export function isDisjoint(a: Witness, b: Witness): boolean {
  const [smaller, larger] = a.size <= b.size ? [a, b] : [b, a];
  for (const key of smaller) if (larger.has(key)) return false;
  return true;
}

function isSubset(a: Witness, b: Witness): boolean {
  if (a.size > b.size) return false;
  for (const key of a) if (!b.has(key)) return false;
  return true;
}

/**
 * Adds `witness` to a minimal family in place: ignored when it contains a witness already there (it is
 * never needed), replacing any it is contained in, and dropped when the family is full.
 */
export function addMinimalWitness(family: Witness[], witness: Witness, cap: number): void {
  for (const existing of family) if (isSubset(existing, witness)) return;
  for (let index = family.length - 1; index >= 0; index -= 1) {
    if (isSubset(witness, family[index]!)) family.splice(index, 1);
  }
  if (family.length < cap) family.push(witness);
}

/** Witnesses for meeting every family at once (one from each, evidence may be shared), minimal and capped. */
export function combineWitnesses(families: readonly (readonly Witness[])[], cap: number): Witness[] {
  let combined: Witness[] = [new Set()];
  for (const family of families) {
    const next: Witness[] = [];
    for (const partial of combined) {
      for (const witness of family) addMinimalWitness(next, unionOfTwo(partial, witness), cap);
    }
    if (next.length === 0) return [];
    combined = next;
  }
  return combined;
}

export function unionOfTwo(a: Witness, b: Witness): Witness {
  if (a.size === 0) return b;
  if (b.size === 0) return a;
  const union = new Set(a);
  for (const key of b) union.add(key);
  return union;
}
