/** The events the catalog module publishes, each inside the transaction that made the change. */
export interface CatalogEvents {
  /**
   * The registrar changed a term's name or last day. Records keep a term by its name (what a learner reads on a
   * record and a badge) and a grade with no date of its own by the term's last day, so both may have to follow.
   */
  'term.changed': { code: string; before: TermFacts; after: TermFacts };
}

/** What records take from a term: its name and its last day ('YYYY-MM-DD'). */
export interface TermFacts {
  name: string;
  endsOn: string;
}
