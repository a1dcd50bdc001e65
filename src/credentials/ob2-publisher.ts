import { revocationCategoryLabels } from '../backpack/badge-view.ts';
import type { Database } from '../platform/db/database.ts';
import { isUuid } from '../platform/ids.ts';
import type { CredentialsRepository } from './credentials.repository.ts';
import type { IssuerIdentity } from './issuer-identity.ts';
import {
  type Ob2Addresses,
  ob2Addresses,
  ob2Assertion,
  ob2BadgeClass,
  ob2IssuerProfile,
} from './ob2-documents.ts';

/**
 * Serves every badge of ours also as a hosted Open Badges 2.0 assertion, with its BadgeClass and issuer Profile,
 * read from the stored credentials at the moment of asking: a revocation shows at once, and there is no second
 * issuance to keep in step.
 */
export class Ob2Publisher {
  readonly addresses: Ob2Addresses;

  constructor(
    private readonly database: Database,
    private readonly repository: CredentialsRepository,
    private readonly identity: IssuerIdentity,
    publicUrl: string,
  ) {
    this.addresses = ob2Addresses(publicUrl);
  }

  /** The institution's issuer Profile. */
  async issuerProfile(): Promise<object> {
    return ob2IssuerProfile(this.addresses, await this.identity.profile(this.identity.webDid));
  }

  /** A program's BadgeClass, or null for a program that has awarded no badge (drafts publish nothing). */
  async badgeClass(programId: string): Promise<object | null> {
    if (!isUuid(programId)) return null;
    const row = await this.repository.latestCredentialOfProgram(this.database.db, programId.toLowerCase());
    return row ? ob2BadgeClass(this.addresses, programId.toLowerCase(), row.json) : null;
  }

  /** A public credential's hosted Assertion; null when unknown, hidden by its holder, or naming no e-mail. */
  async assertion(credentialId: string): Promise<object | null> {
    if (!isUuid(credentialId)) return null;
    const row = await this.repository.findCredential(this.database.db, credentialId.toLowerCase());
    if (!row?.is_public) return null;
    const category =
      row.status === 'revoked'
        ? await this.repository.publicRevocationCategory(this.database.db, row.id)
        : null;
    return ob2Assertion(this.addresses, {
      id: row.id,
      programId: row.program_id,
      status: row.status,
      revocationReason: category ? revocationCategoryLabels[category] : null,
      json: row.json,
    });
  }

  /** The document at one of our 2.0 addresses (as the verifier asks for it, without HTTP), or null. */
  async document(url: string): Promise<object | null> {
    if (url === this.addresses.issuer) return this.issuerProfile();
    const badge = this.addresses.badge('');
    if (url.startsWith(badge)) return this.badgeClass(url.slice(badge.length));
    if (url.startsWith(this.addresses.assertions))
      return this.assertion(url.slice(this.addresses.assertions.length));
    return null;
  }
}
