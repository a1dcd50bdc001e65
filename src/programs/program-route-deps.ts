import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import type { PeriodicReviewsService } from './periodic-reviews.service.ts';
import type { PilotReviewsService } from './pilot-reviews.service.ts';
import type { ProgramReviewsService } from './program-reviews.service.ts';
import type { ProgramServices } from './programs.wiring.ts';

/** What the programs module's route files are given by the app. */
export interface ProgramRouteDeps {
  programs: ProgramServices;
  pilotReviews: PilotReviewsService;
  periodicReviews: PeriodicReviewsService;
  /** Reviews of both kinds: the forms, their figures and their printable versions. */
  reviews: ProgramReviewsService;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
  /**
   * Whether this person may open the program's figures: the insight module's rule, handed over in `app.ts` (that
   * module reads programs, so programs does not import it).
   */
  maySeeInsight?: (actor: Actor, program: { leadUserId: string | null }) => boolean;
}
