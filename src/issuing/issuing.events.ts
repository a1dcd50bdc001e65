/** What the learner's side needs to hear of one issued award (the backpack makes the claim link and mail). */
export interface IssuedCredentialFacts {
  credentialId: string;
  learnerEmail: string;
  learnerName: string;
  programTitle: string;
}

/** The events the issuing module publishes, each inside the transaction that made the change. */
export interface IssuingEvents {
  /** Awards were issued together (one, or a tracking list's part), in the order they were issued. */
  'awards.issued': { awards: readonly IssuedCredentialFacts[] };
}
