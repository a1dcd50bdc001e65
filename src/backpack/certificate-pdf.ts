/**
 * A printable certificate for one badge: a single landscape page with the institution's logo and name, the
 * learner's name, the program, the day it was issued, the skills it stands for, and a QR code to the badge's
 * public page with the verification address written out, so a reader of the paper can check it is real.
 * Tagged, in the institution's language, titled; drawn from the same facts the badge page shows.
 */
import { renderQrSvg } from '../credentials/qr-code.ts';
import { TaggedPdf } from '../platform/pdf.ts';

export interface CertificateFacts {
  institutionName: string;
  logo: { contentType: 'image/png' | 'image/svg+xml'; content: Uint8Array } | null;
  /** `#rrggbb` for the border; a neutral grey without one. */
  colour: string | null;
  /** Null when the learner keeps their name off the badge's public page and someone else asks. */
  learnerName: string | null;
  programName: string;
  /** The day it was issued, in words ('March 3, 2026'). */
  issuedOn: string;
  skills: readonly string[];
  pageUrl: string;
  verifyUrl: string;
  language: string;
}

export async function certificatePdf(facts: CertificateFacts): Promise<Buffer> {
  const pdf = new TaggedPdf({
    title: `${facts.programName}: certificate${facts.learnerName ? ` for ${facts.learnerName}` : ''}`,
    language: facts.language,
    author: facts.institutionName,
    subject: `A digital badge issued by ${facts.institutionName}; check it at ${facts.pageUrl}`,
    layout: 'landscape',
    margin: 60,
  });
  const { doc } = pdf;
  const colour = facts.colour ?? '#555555';
  pdf.artifact(() => {
    doc
      .lineWidth(6)
      .strokeColor(colour)
      .rect(24, 24, doc.page.width - 48, doc.page.height - 48)
      .stroke();
    doc
      .lineWidth(1)
      .rect(34, 34, doc.page.width - 68, doc.page.height - 68)
      .stroke();
  });

  const logoBox = { width: 180, height: 60 };
  const logoX = (doc.page.width - logoBox.width) / 2;
  if (facts.logo?.contentType === 'image/png') {
    pdf.imageFigure(Buffer.from(facts.logo.content), `${facts.institutionName} logo`, {
      x: logoX,
      y: 56,
      fit: [logoBox.width, logoBox.height],
    });
  } else if (facts.logo) {
    const svg = Buffer.from(facts.logo.content).toString('utf8');
    pdf.svgFigure(svg, `${facts.institutionName} logo`, { ...logoBox, x: logoX, y: 56 });
  }
  doc.y = facts.logo ? 126 : 110;

  pdf.paragraph(facts.institutionName, { align: 'center', size: 16, bold: true });
  pdf.paragraph('certifies that', { align: 'center', size: 12, colour: '#444444' });
  pdf.paragraph(facts.learnerName ?? 'the holder of this badge', { align: 'center', size: 28, bold: true });
  pdf.paragraph('has earned the micro-credential', { align: 'center', size: 12, colour: '#444444' });
  pdf.heading(1, facts.programName, { align: 'center', size: 22 });
  pdf.paragraph(`Issued on ${facts.issuedOn}`, { align: 'center', size: 12 });
  if (facts.skills.length > 0) {
    pdf.paragraph(`Skills: ${facts.skills.join(' · ')}`, { align: 'center', size: 10.5 });
  }

  // The QR code and the addresses sit at the foot of the page, where a phone or a reader looks for them.
  const qrSize = 96;
  const qrY = doc.page.height - 60 - qrSize;
  pdf.svgFigure(await renderQrSvg(facts.pageUrl), `QR code linking to this badge's page, ${facts.pageUrl}`, {
    width: qrSize,
    height: qrSize,
    x: 60,
    y: qrY,
  });
  const textX = 60 + qrSize + 14;
  const textWidth = doc.page.width - textX - 60;
  doc.x = textX;
  doc.y = qrY + 14;
  pdf.linesAt(
    [
      `See this badge: ${facts.pageUrl}`,
      `Verify it: ${facts.verifyUrl}`,
      'An Open Badges 3.0 credential, signed by its issuer; anyone can check it at these addresses.',
    ],
    { x: textX, width: textWidth, size: 9 },
  );
  return pdf.finish();
}
