import { isIP } from 'node:net';

/**
 * Ranges a fetch on a stranger's behalf must never reach: a badge names the addresses we fetch, so without this
 * anyone could make the verifier read the university's own network. Each entry is [first bytes, prefix bits, why].
 */
const REFUSED_V4: ReadonlyArray<readonly [number[], number, string]> = [
  [[0], 8, 'a "this network" address'],
  [[10], 8, 'a private address'],
  [[100, 64], 10, 'a shared (carrier-grade NAT) address'],
  [[127], 8, 'a loopback address'],
  [[169, 254], 16, 'a link-local address'],
  [[172, 16], 12, 'a private address'],
  [[192, 0, 0], 24, 'a protocol-assignment address'],
  [[192, 168], 16, 'a private address'],
  [[198, 18], 15, 'a benchmarking address'],
  [[224], 4, 'a multicast address'],
  [[240], 4, 'a reserved address'],
];

const REFUSED_V6: ReadonlyArray<readonly [number[], number, string]> = [
  [[0xfc], 7, 'a unique-local address'],
  [[0xfe, 0x80], 10, 'a link-local address'],
  [[0xfe, 0xc0], 10, 'a site-local address'],
  [[0xff], 8, 'a multicast address'],
];

function inRange(bytes: readonly number[], prefix: readonly number[], bits: number): boolean {
  for (let bit = 0; bit < bits; bit += 1) {
    const index = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((bytes[index] ?? 0) & mask) !== ((prefix[index] ?? 0) & mask)) return false;
  }
  return true;
}

/** The sixteen bytes of an IPv6 address, with any dotted IPv4 tail folded in. */
function ipv6Bytes(address: string): number[] {
  let text = address.toLowerCase().split('%')[0] ?? '';
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = Array(8 - headGroups.length - tailGroups.length).fill('0');
  const groups = tail === undefined ? headGroups : [...headGroups, ...zeros, ...tailGroups];
  return groups.flatMap((group) => {
    const value = Number.parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

function refusedV4(bytes: readonly number[]): string | null {
  for (const [prefix, bits, why] of REFUSED_V4) if (inRange(bytes, prefix, bits)) return why;
  return null;
}

/**
 * Why the verifier must not connect to this IP address, or null when it is a public one. IPv6 forms that carry an
 * IPv4 address (mapped `::ffff:a.b.c.d`, compatible `::a.b.c.d`, NAT64 `64:ff9b::`, 6to4 `2002::`) are judged by
 * the IPv4 address inside, so `::ffff:127.0.0.1` is as refused as `127.0.0.1`. Anything that is not an IP address
 * is refused too.
 */
export function refusedAddressReason(address: string): string | null {
  const family = isIP(address);
  if (family === 4) return refusedV4(address.split('.').map(Number));
  if (family !== 6) return 'not an IP address';
  const bytes = ipv6Bytes(address);
  const leadingZeros = bytes.slice(0, 10).every((byte) => byte === 0);
  if (leadingZeros && bytes[10] === 0xff && bytes[11] === 0xff) return refusedV4(bytes.slice(12));
  if (leadingZeros && bytes[10] === 0 && bytes[11] === 0) {
    const v4 = bytes.slice(12);
    if (v4.every((byte, i) => byte === 0 || (i === 3 && byte === 1))) {
      return v4[3] === 1 ? 'a loopback address' : 'the unspecified address';
    }
    return refusedV4(v4);
  }
  if (inRange(bytes, [0, 0x64, 0xff, 0x9b], 96)) return refusedV4(bytes.slice(12));
  if (inRange(bytes, [0x20, 0x02], 16)) return refusedV4(bytes.slice(2, 6));
  for (const [prefix, bits, why] of REFUSED_V6) if (inRange(bytes, prefix, bits)) return why;
  return null;
}
