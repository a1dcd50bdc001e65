import { crc32 } from 'node:zlib';
import type { BrowserSession } from './browser-session.ts';
import type { TestApp } from './test-app.ts';

// A one-pixel image's compressed data: enough for tests of the PNG check, which never decode the pixels.
const TINY_IMAGE_DATA = Buffer.from([0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]);

/**
 * A PNG made of the given chunks (each with a correct checksum), for tests of the PNG check. `imageData` is the
 * IDAT chunk's compressed pixels, for a test that needs an image a browser really draws.
 */
export function pngOf(
  width: number,
  height: number,
  extra: [string, Buffer][] = [],
  imageData: Buffer = TINY_IMAGE_DATA,
): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    ...extra.map(([type, data]) => chunk(type, data)),
    chunk('IDAT', imageData),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A multipart/form-data body with one file, built the way a browser sends a file input. */
export function multipartFile(field: string, filename: string, type: string, content: Buffer) {
  const boundary = `----stackable${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A multipart body of plain fields, as a browser sends a form without a file (a paste box, a hidden token). */
export function multipartFields(fields: Record<string, string>) {
  const boundary = `----stackable${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return {
    payload: `${parts.join('')}--${boundary}--\r\n`,
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** The forms of a page that post, with their action and the CSRF token field they carry (if any). */
export function postingForms(html: string) {
  return [...html.matchAll(/<form method="post"([^>]*)>([\s\S]*?)<\/form>/g)].map((match) => ({
    action: /action="([^"]*)"/.exec(match[1]!)?.[1] ?? '',
    token: /<input type="hidden" name="_csrf" value="([^"]+)"/.exec(match[2]!)?.[1],
  }));
}

/** Posts plain fields as a multipart form, the way a browser does: in the body, with the session's cookies. */
export function postMultipartForm(
  app: TestApp,
  browser: BrowserSession,
  action: string,
  fields: Record<string, string>,
) {
  const { payload, contentType } = multipartFields(fields);
  return app.http.inject({
    method: 'POST',
    url: action,
    payload,
    headers: {
      'content-type': contentType,
      cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
  });
}
