import type { Actor } from '../actor.ts';

/** One section of the staff navigation: its address, and the paths under which it is the current one. */
export interface StaffNavItem {
  readonly href: string;
  readonly label: string;
  readonly prefix: string;
}

/** What every page needs from the request to draw the shared layout. */
export interface PageContext {
  readonly actor: Actor | null;
  readonly csrfToken: string;
  readonly path: string;
  readonly institutionName: string;
  readonly institutionShortName: string;
  /** The institution's brand colour (hex), dark enough for white text. */
  readonly brandColour: string;
  /** Where the institution's current logo is served, or null while it has none. */
  readonly institutionLogoPath: string | null;
  /** The institution's IANA time zone: every moment the page shows is shown there. */
  readonly timeZone: string;
  /** The institution's ISO 4217 currency: every amount the page shows is in it. */
  readonly currency: string;
  /** Whether the header tells this person the institution is not set up yet; the institution policy decides. */
  readonly showSetUpNotice: boolean;
  readonly isDevelopment: boolean;
  /** Whether the header shows the administration link; decided by the accounts policy, not by the layout. */
  readonly showAdminLink: boolean;
  /** The staff navigation for this person (empty for learners and visitors); decided by the modules' policies. */
  readonly staffNav: readonly StaffNavItem[];
}
