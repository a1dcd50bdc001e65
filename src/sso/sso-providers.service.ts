import type { AccountsService } from '../accounts/accounts.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import { forbidden, invalid, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { sealSecret } from '../platform/sealed-secret.ts';
import type { Fetcher } from '../verification/fetch-text.ts';
import { fetchLimitedText } from '../verification/fetch-text.ts';
import { readIdpMetadata } from './idp-metadata.ts';
import type { OidcRelyingParty } from './oidc-adapter.ts';
import { type ProviderInput, readProviderInput } from './provider-input.ts';
import { serviceProviderUrls } from './saml-adapter.ts';
import { mayBeBreakGlass, mayDo, SSO_REFUSAL } from './sso.policy.ts';
import { type ProviderRow, SsoRepository } from './sso.repository.ts';

/** The purpose a client secret is sealed for (see platform/sealed-secret.ts). */
export const CLIENT_SECRET_PURPOSE = 'identity provider client secret';

/** A provider as administrators see it: everything but the secret, of which only whether one is set. */
export function presentProvider(row: ProviderRow) {
  const idp = row.idp_metadata_xml ? readIdpMetadata(row.idp_metadata_xml) : null;
  return {
    id: row.id,
    slug: row.slug,
    buttonLabel: row.button_label,
    protocol: row.protocol,
    discoveryUrl: row.discovery_url,
    clientId: row.client_id,
    hasClientSecret: row.client_secret_sealed !== null,
    idpMetadataUrl: row.idp_metadata_url,
    /** What the stored SAML metadata says: the provider's entity id, and whether it offers single logout. */
    idp:
      idp && 'metadata' in idp
        ? {
            entityId: idp.metadata.entityId,
            hasLogout: idp.metadata.logoutUrl !== null,
            signingCertificates: idp.metadata.signingCertificates.length,
          }
        : null,
    studentIdClaim: row.mapping.studentIdClaim ?? null,
    groupsClaim: row.mapping.groupsClaim ?? null,
    roleMap: row.mapping.roleMap ?? [],
    emailDomains: row.email_domains,
    isEnabled: row.is_enabled,
    updatedAt: row.updated_at,
  };
}

export type PresentedProvider = ReturnType<typeof presentProvider>;

/**
 * The administrators' side of single sign-on: the identity providers' settings (the client secret sealed, never
 * shown back) and the switch that turns staff passwords off, which always leaves a break-glass administrator.
 */
export class SsoProvidersService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly accounts: AccountsService,
    private readonly clock: Clock,
    private readonly oidc: OidcRelyingParty,
    private readonly settings: { publicUrl: string; secret: string },
    /** The SSRF-guarded fetch: a metadata address is typed by an administrator, never trusted to be harmless. */
    private readonly fetcher: Fetcher,
    private readonly repository = new SsoRepository(),
  ) {}

  /** The addresses a SAML provider is given for this site (its SP metadata first). */
  serviceProviderUrls(slug: string) {
    return serviceProviderUrls(this.settings.publicUrl, slug);
  }

  /**
   * The SAML metadata to store: fetched from its address when one is given (through the SSRF guard, on every
   * save, which is how an administrator picks up a provider's new certificate), else the pasted text, else the
   * stored one. Refusals name the field.
   */
  async #metadataFor(
    fields: { idp_metadata_url: string | null; idp_metadata_xml: string | null },
    before?: ProviderRow,
  ) {
    if (fields.idp_metadata_url) {
      const fetched = await fetchLimitedText(this.fetcher, fields.idp_metadata_url, {
        accept: ['application/samlmetadata+xml', 'application/xml', 'text/xml'],
      });
      if (!fetched.ok)
        throw invalid([{ field: 'idpMetadataUrl', reason: `could not be read: ${fetched.problem}` }]);
      const read = readIdpMetadata(fetched.text);
      if ('problem' in read)
        throw invalid([{ field: 'idpMetadataUrl', reason: `answered metadata that ${read.problem}` }]);
      return fetched.text;
    }
    const xml = fields.idp_metadata_xml ?? before?.idp_metadata_xml ?? null;
    if (!xml) {
      throw invalid([
        {
          field: 'idpMetadataXml',
          reason: 'is required for SAML: give the metadata address or paste the metadata',
        },
      ]);
    }
    return xml;
  }

  #require(actor: Actor | null, action: 'view_providers' | 'manage_providers'): asserts actor is Actor {
    if (!mayDo(actor, action)) throw forbidden(SSO_REFUSAL);
  }

  /** The screen's content: providers, the password switch, the addresses to give providers, and what may be done. */
  async overview(actor: Actor | null) {
    this.#require(actor, 'view_providers');
    const db = this.database.db;
    const providers = (await this.repository.listProviders(db)).map(presentProvider);
    const settings = await this.repository.settings(db);
    const administrators = (await this.accounts.listUsers())
      .filter(mayBeBreakGlass)
      .map((u) => ({ id: u.id, name: u.name, email: u.email }));
    return {
      providers,
      settings,
      administrators,
      redirectUri: `${this.settings.publicUrl}/sso/oidc/callback`,
      samlMetadataPattern: `${this.settings.publicUrl}/sso/saml/<short name>/metadata`,
      canManage: mayDo(actor, 'manage_providers'),
      canTest: mayDo(actor, 'test_sign_in'),
    };
  }

  async provider(actor: Actor | null, id: string): Promise<PresentedProvider> {
    this.#require(actor, 'view_providers');
    const row = await this.repository.findProvider(this.database.db, { id });
    if (!row) throw notFound('That identity provider');
    return presentProvider(row);
  }

  /** Adds a provider (`id` null) or changes one; a non-empty client secret replaces the stored one. */
  async saveProvider(
    actor: Actor | null,
    id: string | null,
    input: ProviderInput,
  ): Promise<PresentedProvider> {
    this.#require(actor, 'manage_providers');
    const read = readProviderInput(input);
    if (!read.fields) throw invalid(read.problems);
    const fields = read.fields;
    if (fields.protocol === 'saml') {
      const before = id ? await this.repository.findProvider(this.database.db, { id }) : undefined;
      fields.idp_metadata_xml = await this.#metadataFor(fields, before);
    }
    const secret = (input.clientSecret ?? '').trim();
    const sealed = secret ? sealSecret(this.settings.secret, CLIENT_SECRET_PURPOSE, secret) : undefined;
    const now = this.clock.now();
    const savedId = await this.database.db.transaction().execute(async (trx) => {
      const same = await this.repository.findProvider(trx, { slug: fields.slug });
      if (same && same.id !== id) {
        throw invalid([{ field: 'slug', reason: 'is already used by another identity provider' }]);
      }
      const before = id ? await this.repository.findProvider(trx, { id }) : undefined;
      if (id && !before) throw notFound('That identity provider');
      const providerId = id ?? newId();
      if (before) await this.repository.updateProvider(trx, providerId, fields, sealed, now);
      else await this.repository.insertProvider(trx, providerId, fields, sealed ?? null);
      await this.audit.record(trx, actor, {
        action: before ? 'sso.provider_changed' : 'sso.provider_added',
        entityType: 'identity_provider',
        entityId: providerId,
        before: before ? { ...presentProvider(before), updatedAt: undefined } : undefined,
        // The secret itself is never written anywhere readable, the audit log included.
        after: {
          ...fields,
          idp_metadata_xml: fields.idp_metadata_xml ? 'stored' : null,
          clientSecret: sealed ? 'replaced' : 'kept',
        },
      });
      return providerId;
    });
    if (fields.discovery_url) this.oidc.forget(fields.discovery_url);
    return this.provider(actor, savedId);
  }

  async deleteProvider(actor: Actor | null, id: string): Promise<void> {
    this.#require(actor, 'manage_providers');
    await this.database.db.transaction().execute(async (trx) => {
      const row = await this.repository.findProvider(trx, { id });
      if (!row) throw notFound('That identity provider');
      const linked = await this.repository.countIdentities(trx, id);
      await this.repository.deleteProvider(trx, id);
      await this.audit.record(trx, actor, {
        action: 'sso.provider_removed',
        entityType: 'identity_provider',
        entityId: id,
        before: { slug: row.slug, buttonLabel: row.button_label, linkedIdentities: linked },
      });
    });
  }

  /**
   * Switches local passwords for staff off or on. Off needs an enabled provider and a break-glass administrator:
   * an active administrator with a local password, who keeps it for the day the provider is down.
   */
  async saveSettings(
    actor: Actor | null,
    input: { staffPasswordsOff: boolean; breakGlassUserId: string | null },
  ): Promise<void> {
    this.#require(actor, 'manage_providers');
    const now = this.clock.now();
    await this.database.db.transaction().execute(async (trx) => {
      const breakGlassUserId = input.breakGlassUserId || null;
      if (input.staffPasswordsOff) {
        const providers = await this.repository.listProviders(trx);
        if (!providers.some((p) => p.is_enabled)) {
          throw invalid([
            { field: 'staffPasswordsOff', reason: 'needs at least one enabled identity provider first' },
          ]);
        }
        const user = breakGlassUserId
          ? await this.accounts.findUserWithin(trx, { id: breakGlassUserId })
          : undefined;
        if (!user || !mayBeBreakGlass(user)) {
          throw invalid([
            {
              field: 'breakGlassUserId',
              reason: 'must be an active administrator with a local password, who keeps it for emergencies',
            },
          ]);
        }
      }
      const before = await this.repository.settings(trx);
      await this.repository.saveSettings(
        trx,
        { staffPasswordsOff: input.staffPasswordsOff, breakGlassUserId },
        now,
      );
      await this.audit.record(trx, actor, {
        action: 'sso.settings_changed',
        entityType: 'sso_settings',
        before,
        after: { staffPasswordsOff: input.staffPasswordsOff, breakGlassUserId },
      });
    });
  }
}
