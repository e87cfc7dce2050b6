// What the host's outgoing HTTP may reach: this machine's loopback interface only, so that nothing an app under
// test does leaves the sandbox (and nothing depends on a network these machines do not have).
import dns from 'node:dns';
import net from 'node:net';

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
// IPv4-mapped 127.0.0.0/8 (the URL parser writes [::ffff:127.0.0.1] as [::ffff:7f00:1])
LOOPBACK.addSubnet('::ffff:7f00:0', 104, 'ipv6');

export const LOOPBACK_DESCRIPTION = 'loopback addresses (127.0.0.0/8, ::1, localhost)';

/** An IP address (v4 or v6, without brackets) on the loopback interface. */
export function isLoopbackAddress(address: string): boolean {
    const family = net.isIP(address);
    return family !== 0 && LOOPBACK.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * A URL's hostname that names the loopback interface: `localhost`, or a loopback IP literal. The URL parser has
 * already normalised the other spellings of an IPv4 address (`2130706433`, `0x7f.1` are 127.0.0.1 by then).
 */
export function isLoopbackHost(hostname: string): boolean {
    const bare = hostname.replace(/^\[|\]$/g, '');
    return bare.toLowerCase() === 'localhost' || isLoopbackAddress(bare);
}

/**
 * dns.lookup that refuses any answer outside loopback, for http.request's `lookup`: `localhost` is checked where
 * it is resolved, whatever /etc/hosts says.
 */
export const loopbackLookup: net.LookupFunction = (hostname, options, callback) => {
    dns.lookup(hostname, options, ((error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => {
        if (error) {
            callback(error, address as string, family);
            return;
        }
        const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
        const outside = addresses.find((a) => !isLoopbackAddress(a));
        if (outside) {
            callback(Object.assign(new Error(`${hostname} resolves to ${outside}, which is not one of the ${LOOPBACK_DESCRIPTION}`), { code: 'EHOSTREFUSED' }), '', 4);
            return;
        }
        (callback as (e: null, a: unknown, f?: number) => void)(null, address, family);
    }) as never);
};
