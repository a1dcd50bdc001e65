import type { InstitutionService } from '../institution/institution.service.ts';
import type { Actor } from '../platform/actor.ts';
import { invalidState } from '../platform/errors.ts';
import type { BackpackService } from './backpack.service.ts';

/**
 * Printable certificates. Whoever may open a badge's public page may print its certificate, and it names the
 * learner exactly when the page does. Only a badge in good standing has one: a certificate cannot show a later
 * revocation or suspension, so one printed from a badge that no longer stands would mislead whoever reads it.
 */
export class CertificatesService {
  constructor(
    private readonly backpack: BackpackService,
    private readonly institution: InstitutionService,
    private readonly settings: { publicUrl: string },
  ) {}

  async certificate(viewer: Actor | null, credentialId: string): Promise<{ pdf: Buffer; fileName: string }> {
    const badge = await this.backpack.publicBadge(viewer, credentialId);
    if (badge.status !== 'active') {
      throw invalidState(
        badge.status === 'revoked'
          ? 'This badge was revoked, so it has no certificate.'
          : 'This badge is suspended, so it has no certificate while the suspension lasts.',
      );
    }
    const [institution, logo] = await Promise.all([this.institution.get(), this.institution.currentLogo()]);
    const { timeZone } = this.institution.displayOf(institution);
    const issuedOn = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone }).format(badge.issuedAt);
    // Loaded when a certificate is first asked for: PDFKit and its fonts are a large part of what a command that
    // only builds the services (stackable institution show, say) would otherwise load and never use.
    const { certificatePdf } = await import('./certificate-pdf.ts');
    const pdf = await certificatePdf({
      institutionName: institution.name,
      logo,
      colour: institution.primary_colour || null,
      learnerName: badge.earnerName,
      programName: badge.name,
      issuedOn,
      skills: badge.skills.map((s) => s.name),
      pageUrl: badge.pageUrl,
      verifyUrl: `${this.settings.publicUrl}/verify?credential=${badge.id}`,
      language: 'en',
    });
    const slug =
      badge.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'badge';
    return { pdf, fileName: `${slug}-certificate.pdf` };
  }
}
