/** The events the catalog module publishes, each inside the transaction that made the change. */
export interface CatalogEvents {
  /**
   * The registrar renamed a term. Records keep a term by its name (what a learner reads on a record and a badge),
   * so those that named it by the old name follow, and a file naming the term by its code still finds them.
   */
  'term.renamed': { code: string; from: string; to: string };
}
