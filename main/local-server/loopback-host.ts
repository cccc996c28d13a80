import { isIPv4, isIPv6 } from 'node:net';

/**
 * True for addresses only this machine can reach: 127.0.0.0/8, ::1 (also as ::ffff:127.x) and
 * `localhost`. Anything else (0.0.0.0, ::, a LAN address, another name) may be reachable from the
 * network, which this server, with its printed admin password and no TLS, is not made for.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (bare === 'localhost') {
    return true;
  }
  if (isIPv4(bare)) {
    return bare.split('.')[0] === '127';
  }
  if (isIPv6(bare)) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
    return mapped ? isLoopbackHost(mapped[1] as string) : bare === '::1' || bare === '0:0:0:0:0:0:0:1';
  }
  return false;
}
