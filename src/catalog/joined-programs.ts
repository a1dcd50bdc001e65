import type { Actor } from '../platform/actor.ts';

/** A program the signed-in person joined and has not withdrawn from, as the catalog shows it. */
export interface JoinedProgram {
  slug: string;
  status: 'active' | 'completed';
  /** 'YYYY-MM-DD' */
  enrolledOn: string;
}

/**
 * How the catalog learns which programs the person viewing it joined: handed over in `app-services.ts`, since the
 * learners module owns enrolments and is built after the catalog.
 */
export type JoinedProgramsLookup = (actor: Actor) => Promise<JoinedProgram[]>;
