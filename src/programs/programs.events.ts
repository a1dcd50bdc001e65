/** The events the programs module publishes, each inside the transaction that made the change. */
export interface ProgramsEvents {
  /** A program's fields were rewritten (a new version, or a draft saved); its requirement may have changed. */
  'program.rule_changed': { programId: string };
}
