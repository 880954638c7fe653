import { isIPv4, isIPv6 } from 'node:net';

/** Address ranges a fetched page may never reach: [first bytes, prefix length in bits]. */
const BLOCKED_V4: [number[], number][] = [
  [[0], 8], // "this network", 0.0.0.0
  [[10], 8], // private
  [[100, 64], 10], // carrier-grade NAT
  [[127], 8], // loopback
  [[169, 254], 16], // link-local, cloud metadata
  [[172, 16], 12], // private
  [[192, 0, 0], 24], // IETF protocol assignments
  [[192, 0, 2], 24], // documentation
  [[192, 88, 99], 24], // 6to4 relay anycast
  [[192, 168], 16], // private
  [[198, 18], 15], // benchmarking
  [[198, 51, 100], 24], // documentation
  [[203, 0, 113], 24], // documentation
  [[224], 4], // multicast
  [[240], 4], // reserved, broadcast
];

const BLOCKED_V6: [number[], number][] = [
  [new Array<number>(16).fill(0), 128], // unspecified ::
  [[...new Array<number>(15).fill(0), 1], 128], // loopback ::1
  [[0x01, 0x00, 0, 0, 0, 0, 0, 0], 64], // discard-only
  [[0x20, 0x01, 0x0d, 0xb8], 32], // documentation
  [[0xfc], 7], // unique local
  [[0xfe, 0x80], 10], // link-local
  [[0xfe, 0xc0], 10], // site-local (deprecated, still routed privately)
  [[0xff], 8], // multicast
];

function inPrefix(bytes: number[], prefix: number[], bits: number): boolean {
  for (let bit = 0; bit < bits; bit += 8) {
    const byte = bit >> 3;
    const take = Math.min(8, bits - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((bytes[byte] ?? 0) & mask) !== ((prefix[byte] ?? 0) & mask)) return false;
  }
  return true;
}

function v4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

/** The 16 bytes of an IPv6 address, including forms with an embedded IPv4 tail. */
export function v6Bytes(address: string): number[] {
  let text = address.toLowerCase().split('%')[0] ?? '';
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (isIPv4(last)) {
    tail.push(...v4Bytes(last));
    text = text.slice(0, lastColon + 1) + '0:0';
  }
  const [head = '', rest] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const restGroups = rest === undefined ? [] : rest ? rest.split(':') : [];
  const missing = 8 - headGroups.length - restGroups.length;
  const groups = [
    ...headGroups,
    ...new Array<string>(rest === undefined ? 0 : missing).fill('0'),
    ...restGroups,
  ];
  const bytes = groups.flatMap((g) => {
    const value = parseInt(g || '0', 16);
    return [(value >> 8) & 0xff, value & 0xff];
  });
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** The IPv4 address an IPv6 one carries (v4-mapped, v4-compatible, NAT64), if any. */
function embeddedV4(bytes: number[]): number[] | undefined {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12);
  if (zeros(0, 12) && !zeros(12, 16)) return bytes.slice(12);
  if (inPrefix(bytes, [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], 96)) return bytes.slice(12);
  return undefined;
}

function blockedV4(bytes: number[]): boolean {
  return BLOCKED_V4.some(([prefix, bits]) => inPrefix(bytes, prefix, bits));
}

/**
 * True for addresses a web page fetch must not reach: loopback, private, link-local, unique-local,
 * multicast and reserved ranges, in IPv4 and IPv6 (including IPv4 wrapped in IPv6). Anything that
 * is not an IP address at all is refused too.
 */
export function isBlockedAddress(address: string): boolean {
  if (isIPv4(address)) return blockedV4(v4Bytes(address));
  const bare = address.replace(/^\[|\]$/g, '');
  if (!isIPv6(bare)) return true;
  const bytes = v6Bytes(bare);
  const v4 = embeddedV4(bytes);
  if (v4) return blockedV4(v4);
  return BLOCKED_V6.some(([prefix, bits]) => inPrefix(bytes, prefix, bits));
}
