/** The events the learners module publishes, each inside the transaction that made the change. */
export interface LearnersEvents {
  /**
   * A completions import wrote its rows; which learners' records it changed is in its report
   * (`importedLearnerIds` in learners.queries.ts).
   */
  'completions.imported': { importId: string };
  /** Completions were dated anew (their term's last day moved); these learners' progress may have changed. */
  'completions.redated': { learnerIds: readonly string[] };
  /** Enrolments were made or reopened (a reopened one has a new day and path). */
  'enrolments.recorded': { enrolments: readonly { learnerId: string; programId: string }[] };
}
