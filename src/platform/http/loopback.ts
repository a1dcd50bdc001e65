import type { FastifyRequest } from 'fastify';

/** Whether a socket address is this machine (IPv4 127/8, IPv6 ::1, or IPv4 loopback mapped into IPv6). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * Whether a request comes from a browser on this machine: its socket is loopback and it carries no forwarding
 * header. A header never makes a request local; but a proxy on this machine connects from loopback too, and
 * what it forwards comes from elsewhere, so any sign of forwarding makes the request foreign.
 */
export function isFromThisMachine(request: FastifyRequest): boolean {
  const forwarded = ['x-forwarded-for', 'forwarded', 'x-real-ip'].some(
    (name) => request.headers[name] !== undefined,
  );
  return !forwarded && isLoopback(request.socket.remoteAddress);
}
