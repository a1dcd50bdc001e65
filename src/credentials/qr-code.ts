/**
 * QR codes that point at a credential's public verification page, for printed certificates and
 * slides where a link cannot be clicked.
 */
import QRCode from 'qrcode';
import { escapeXml } from './artwork-text.ts';

/**
 * Renders `url` as a black-on-white QR code SVG with a `<title>` naming the link, so screen readers
 * announce it. Medium error correction survives print smudges without making the code dense.
 */
export async function renderQrSvg(url: string): Promise<string> {
  if (url.trim() === '') throw new RangeError('A QR code needs a non-empty URL');
  const svg = await QRCode.toString(url, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 2,
    color: { dark: '#000000', light: '#ffffff' },
  });
  const rootEnd = svg.indexOf('>', svg.indexOf('<svg'));
  if (rootEnd < 0) throw new Error('qrcode returned output without an <svg> root');
  const title = `<title>${escapeXml(`QR code linking to ${url}`)}</title>`;
  const root = svg.slice(0, rootEnd);
  return `${root} role="img">${title}${svg.slice(rootEnd + 1)}`;
}
