import type { FastifyRequest } from 'fastify';
import type { RenewalsService } from '../issuing/renewals.service.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import type { BackpackService } from './backpack.service.ts';
import type { ImportedBadgesService } from './imported-badges.service.ts';

/** What the backpack's route files are given by the app: its services and the page frame. */
export interface BackpackRouteDeps {
  backpack: BackpackService;
  importedBadges: ImportedBadgesService;
  /** Renewal of expiring badges: the issuing module's, shown and asked for here. */
  renewals: Pick<RenewalsService, 'renew' | 'standingOf'>;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
  secureCookies: boolean;
}
