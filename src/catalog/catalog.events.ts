/** The events the catalog module publishes, each inside the transaction that made the change. */
export interface CatalogEvents {
  /**
   * The registrar added terms or changed their names or last days (one event per form, import or API call).
   * Records keep a term by its name (what a learner reads on a record and a badge) and a grade with no date of its
   * own by the term's last day, so both may have to follow; `before` is null for a term just added.
   */
  'terms.saved': { terms: readonly SavedTerm[] };
}

/** What records take from a term: its name and its last day ('YYYY-MM-DD'). */
export interface TermFacts {
  name: string;
  endsOn: string;
}

/** A term as a write left it, with what it was before (null when the write added it). */
export interface SavedTerm {
  code: string;
  before: TermFacts | null;
  after: TermFacts;
}
