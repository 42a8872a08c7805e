// The address a new swarm's manager listens on and advertises: "ADDR", "ADDR:PORT" or "[v6]:PORT",
// as `docker swarm init --advertise-addr` takes it. ADDR is an IP address or a network interface
// name (eth0); the port defaults to 2377, the swarm's management port.

export const SWARM_PORT = 2377;

export type SwarmAddressProblem = { kind: 'empty' } | { kind: 'address'; text: string } | { kind: 'port'; text: string };

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
/** Two colons at least: one alone is ADDR:PORT. */
const IPV6 = /^[0-9a-fA-F.]*:[0-9a-fA-F.]*:[0-9a-fA-F:.]*$/;
/** A Linux interface name: up to 15 characters, no slash, colon or space. */
const INTERFACE = /^[a-zA-Z][a-zA-Z0-9_.-]{0,14}$/;

export function parseSwarmAddress(text: string): { addr: string; port: number } | { problem: SwarmAddressProblem } {
  const t = text.trim();
  if (!t) return { problem: { kind: 'empty' } };
  let addr = t;
  let portText: string | undefined;
  const v6 = /^\[([^\]]*)\](?::(.*))?$/.exec(t);
  if (v6) {
    addr = v6[1];
    portText = v6[2];
    if (!IPV6.test(addr)) return { problem: { kind: 'address', text: addr } };
  } else if (!IPV6.test(t)) {
    const colon = t.lastIndexOf(':');
    if (colon >= 0) {
      addr = t.slice(0, colon);
      portText = t.slice(colon + 1);
    }
    if (!IPV4.test(addr) && (/^[\d.]+$/.test(addr) || !INTERFACE.test(addr))) return { problem: { kind: 'address', text: addr } };
  }
  if (portText === undefined) return { addr, port: SWARM_PORT };
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port < 1 || port > 65535) return { problem: { kind: 'port', text: portText } };
  return { addr, port };
}

/** "10.0.0.5:2377", "[fd00::1]:2377": how the engine writes a listen address. */
export function joinAddress(addr: string, port: number): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}
