// IP addresses and CIDR blocks (IPv4 and IPv6) for Create Network… and Connect to Network…: what
// the engine would refuse, checked as the user types, with the overlapping network named.

export interface Cidr {
  family: 4 | 6;
  /** The block's first address. */
  base: bigint;
  prefix: number;
  /** Whether host bits were set ("10.0.0.1/24"): the engine refuses such a subnet. */
  hostBits: boolean;
  text: string;
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => (n << 8n) | BigInt(p), 0n);
}

function parseV6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(text) || (text.match(/::/g) ?? []).length > 1) return undefined;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (s: string) => (s ? s.split(':') : []);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const all = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return all.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** An address of either family, or undefined. */
export function parseAddress(text: string): { family: 4 | 6; value: bigint } | undefined {
  const v4 = parseV4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = text.includes(':') ? parseV6(text) : undefined;
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

const bitsOf = (family: 4 | 6) => (family === 4 ? 32 : 128);

export function parseCidr(text: string): Cidr | undefined {
  const m = /^([^/\s]+)\/(\d{1,3})$/.exec(text.trim());
  if (!m) return undefined;
  const address = parseAddress(m[1]);
  const prefix = Number(m[2]);
  if (!address || prefix > bitsOf(address.family)) return undefined;
  const hostMask = (1n << BigInt(bitsOf(address.family) - prefix)) - 1n;
  return { family: address.family, base: address.value & ~hostMask, prefix, hostBits: (address.value & hostMask) !== 0n, text: text.trim() };
}

function last(c: Cidr): bigint {
  return c.base + (1n << BigInt(bitsOf(c.family) - c.prefix)) - 1n;
}

export function contains(c: Cidr, address: { family: 4 | 6; value: bigint }): boolean {
  return c.family === address.family && address.value >= c.base && address.value <= last(c);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.base <= last(b) && b.base <= last(a);
}

/** What is wrong with a network's addressing, in terms the UI puts in words. */
export type AddressProblem =
  | { kind: 'invalidCidr'; field: 'subnet' | 'ipRange'; value: string }
  | { kind: 'hostBits'; field: 'subnet' | 'ipRange'; value: string; base: string }
  | { kind: 'invalidAddress'; field: 'gateway' | 'ip'; value: string }
  | { kind: 'needsSubnet'; field: 'gateway' | 'ipRange' }
  | { kind: 'outside'; field: 'gateway' | 'ipRange' | 'ip'; value: string; subnet: string }
  | { kind: 'wrongFamily'; field: 'subnet'; value: string; family: 4 | 6 }
  | { kind: 'overlap'; value: string; network: string; subnet: string }
  | { kind: 'taken'; value: string; by: string }
  | { kind: 'reserved'; value: string };

/** An existing network's subnets, as the engine's IPAM config lists them. */
export interface NetworkSubnets {
  name: string;
  subnets: string[];
}

export function formatAddress(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::').replace(/:{3,}/, '::');
}

/** The first problem of one subnet field: syntax, host bits, family, then overlap with another network. */
export function subnetProblem(text: string, existing: readonly NetworkSubnets[], family?: 4 | 6): AddressProblem | undefined {
  const c = parseCidr(text);
  if (!c) return { kind: 'invalidCidr', field: 'subnet', value: text };
  if (c.hostBits) return { kind: 'hostBits', field: 'subnet', value: text, base: `${formatAddress(c.family, c.base)}/${c.prefix}` };
  if (family && c.family !== family) return { kind: 'wrongFamily', field: 'subnet', value: text, family };
  for (const n of existing)
    for (const s of n.subnets) {
      const other = parseCidr(s);
      if (other && overlaps(c, other)) return { kind: 'overlap', value: text, network: n.name, subnet: s };
    }
  return undefined;
}

/** A gateway typed for a subnet (empty: the engine picks the first address). */
export function gatewayProblem(text: string, subnet: string): AddressProblem | undefined {
  if (!text) return undefined;
  const c = parseCidr(subnet);
  if (!c) return { kind: 'needsSubnet', field: 'gateway' };
  const a = parseAddress(text);
  if (!a) return { kind: 'invalidAddress', field: 'gateway', value: text };
  if (!contains(c, a)) return { kind: 'outside', field: 'gateway', value: text, subnet };
  return undefined;
}

/** An IP range typed for a subnet: a CIDR block inside it. */
export function ipRangeProblem(text: string, subnet: string): AddressProblem | undefined {
  if (!text) return undefined;
  const c = parseCidr(subnet);
  if (!c) return { kind: 'needsSubnet', field: 'ipRange' };
  const r = parseCidr(text);
  if (!r) return { kind: 'invalidCidr', field: 'ipRange', value: text };
  if (r.hostBits) return { kind: 'hostBits', field: 'ipRange', value: text, base: `${formatAddress(r.family, r.base)}/${r.prefix}` };
  if (r.family !== c.family || r.base < c.base || last(r) > last(c)) return { kind: 'outside', field: 'ipRange', value: text, subnet };
  return undefined;
}

/** A static IP for a container on a network: inside one of its subnets, not its gateway, not another container's. */
export function staticIpProblem(text: string, net: { subnets: string[]; gateways: string[]; used: { ip: string; by: string }[] }): AddressProblem | undefined {
  const a = parseAddress(text);
  if (!a) return { kind: 'invalidAddress', field: 'ip', value: text };
  const inside = net.subnets.map(parseCidr).find((c) => c && contains(c, a));
  if (!inside) return { kind: 'outside', field: 'ip', value: text, subnet: net.subnets.join(', ') || '—' };
  if (a.value === inside.base || (a.family === 4 && a.value === last(inside))) return { kind: 'reserved', value: text };
  if (net.gateways.includes(text)) return { kind: 'taken', value: text, by: 'gateway' };
  const user = net.used.find((u) => u.ip.split('/')[0] === text);
  if (user) return { kind: 'taken', value: text, by: user.by };
  return undefined;
}
