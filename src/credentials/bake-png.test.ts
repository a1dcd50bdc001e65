import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { anyText } from '../../test/support/arbitraries.ts';
import { renderBadgeSvg } from './artwork.ts';
import { renderBadgePng } from './artwork-png.ts';
import { computeCrc32 } from './bake-crc32.ts';
import { bakePng, extractFromPng, PngFormatError } from './bake-png.ts';

const JWT =
  'eyJhbGciOiJFZERTQSIsInR5cCI6InZjK2p3dCJ9.eyJpc3MiOiJodHRwczovL2V4YW1wbGUuZWR1In0.c2lnbmF0dXJlLWJ5dGVz';
const JSON_CREDENTIAL = JSON.stringify({
  '@context': [
    'https://www.w3.org/ns/credentials/v2',
    'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
  ],
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  name: 'Données & “quotes” ]]> 🎓',
  proof: { type: 'DataIntegrityProof', proofValue: 'z3abc' },
});

interface Chunk {
  type: string;
  data: Uint8Array;
}

/** An independent chunk walker for the tests, so results are not checked with the code under test. */
function listChunks(png: Uint8Array): Chunk[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: Chunk[] = [];
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at);
    chunks.push({
      type: new TextDecoder().decode(png.subarray(at + 4, at + 8)),
      data: png.slice(at + 8, at + 8 + length),
    });
    at += 12 + length;
  }
  return chunks;
}

function chunkBytes(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, computeCrc32(out, 4, 8 + data.length));
  return out;
}

/** Inserts a chunk just before IEND (the last 12 bytes of a PNG). */
function insertBeforeIend(png: Uint8Array, chunk: Uint8Array): Uint8Array {
  const out = new Uint8Array(png.length + chunk.length);
  out.set(png.subarray(0, png.length - 12));
  out.set(chunk, png.length - 12);
  out.set(png.subarray(png.length - 12), png.length - 12 + chunk.length);
  return out;
}

let plain: Uint8Array;

before(async () => {
  // A real PNG written by resvg, so our CRC and chunk handling are checked against another encoder.
  const svg = renderBadgeSvg({
    title: 'Data Literacy',
    level: 'graduate',
    institutionShortName: 'AFCC',
    institutionName: 'Alder Falls Community College',
    colours: { primary: '#a6192e', accent: '#cc9c4a' },
  });
  plain = await renderBadgePng(svg, 64);
});

describe('bakePng / extractFromPng', () => {
  test('round-trips a compact JWT', () => {
    assert.equal(extractFromPng(bakePng(plain, JWT)), JWT);
  });

  test('round-trips the JSON of an embedded-proof credential', () => {
    const baked = bakePng(plain, JSON_CREDENTIAL);
    assert.deepEqual(JSON.parse(extractFromPng(baked) ?? 'null'), JSON.parse(JSON_CREDENTIAL));
  });

  test('writes one uncompressed iTXt chunk with the Open Badges keyword right before IEND', () => {
    const chunks = listChunks(bakePng(plain, JWT));
    assert.equal(chunks.at(-1)?.type, 'IEND');
    const badge = chunks.at(-2);
    assert.equal(badge?.type, 'iTXt');
    const header = new TextEncoder().encode('openbadgecredential\0\0\0\0\0');
    assert.deepEqual(badge?.data.subarray(0, header.length), header);
    assert.equal(new TextDecoder().decode(badge?.data.subarray(header.length)), JWT);
    // Everything else is carried over untouched.
    assert.deepEqual(
      chunks.slice(0, -2).map((chunk) => chunk.type),
      listChunks(plain)
        .slice(0, -1)
        .map((chunk) => chunk.type),
    );
  });

  test('round-trips any text, including unicode and "]]>"', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      anyText({ maxLength: 100 }),
      fc.tuple(fc.string(), fc.string()).map(([a, b]) => `${a}]]>${b}`),
    );
    fc.assert(
      fc.property(text, (credential) => {
        assert.equal(extractFromPng(bakePng(plain, credential)), credential);
      }),
      { numRuns: 200 },
    );
  });

  test('re-baking replaces the earlier credential instead of adding a second one', () => {
    const twice = bakePng(bakePng(plain, JWT), JSON_CREDENTIAL);
    assert.equal(extractFromPng(twice), JSON_CREDENTIAL);
    const badgeChunks = listChunks(twice).filter((chunk) => chunk.type === 'iTXt');
    assert.equal(badgeChunks.length, 1);
    assert.equal(twice.length, bakePng(plain, JSON_CREDENTIAL).length);
  });

  test('returns null for a PNG without a badge', () => {
    assert.equal(extractFromPng(plain), null);
    // Other iTXt chunks are not mistaken for a badge.
    const other = chunkBytes('iTXt', new TextEncoder().encode('openbadgecredentialx\0\0\0\0\0not a badge'));
    assert.equal(extractFromPng(insertBeforeIend(plain, other)), null);
  });

  test('reads a compressed badge chunk written by another tool', () => {
    const header = new TextEncoder().encode('openbadgecredential\0\u0001\0en\0\0');
    const body = deflateSync(new TextEncoder().encode(JSON_CREDENTIAL));
    const data = new Uint8Array(header.length + body.length);
    data.set(header);
    data.set(body, header.length);
    assert.equal(extractFromPng(insertBeforeIend(plain, chunkBytes('iTXt', data))), JSON_CREDENTIAL);
  });

  test('rejects input that is not a PNG', () => {
    const notPng = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>');
    assert.throws(
      () => extractFromPng(notPng),
      (error) => error instanceof PngFormatError && /Not a PNG/.test(error.message),
    );
    assert.throws(() => bakePng(notPng, JWT), PngFormatError);
    assert.throws(() => extractFromPng(new Uint8Array()), PngFormatError);
  });

  test('rejects a PNG whose chunk CRC is corrupt', () => {
    const baked = bakePng(plain, JWT);
    const broken = baked.slice();
    broken[broken.length - 20] = broken[broken.length - 20]! ^ 0xff; // inside the badge text
    assert.throws(
      () => extractFromPng(broken),
      (error) => error instanceof PngFormatError && /CRC/.test(error.message),
    );
    const brokenImage = plain.slice();
    brokenImage[40] = brokenImage[40]! ^ 0x01; // inside IHDR or the first data chunk
    assert.throws(() => bakePng(brokenImage, JWT), /CRC/);
  });

  test('rejects truncated files and impossible chunk lengths without reading past the end', () => {
    assert.throws(() => extractFromPng(plain.subarray(0, plain.length - 12)), /truncated/);
    const huge = plain.slice();
    new DataView(huge.buffer).setUint32(8, 0xfffffff0); // IHDR length field
    assert.throws(() => extractFromPng(huge), /claims/);
    const tooLong = plain.slice();
    new DataView(tooLong.buffer).setUint32(8, plain.length); // fits in 31 bits, not in the file
    assert.throws(() => extractFromPng(tooLong), /claims/);
  });

  test('rejects a malformed badge chunk header', () => {
    const data = new TextEncoder().encode('openbadgecredential\0\0\0no terminators');
    assert.throws(() => extractFromPng(insertBeforeIend(plain, chunkBytes('iTXt', data))), /header/);
  });
});
