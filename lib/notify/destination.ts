import { lookup as dnsLookup } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

/**
 * Where a webhook may go. A webhook URL is the user's to choose, so without this check the
 * server would post into its own network on the user's behalf (loopback services, the cloud
 * metadata address, the lab's intranet) and report what answered: a port scanner. Refused unless
 * the administrator sets EMANAGER_WEBHOOK_ALLOW_PRIVATE=1: loopback, link-local, private (RFC 1918,
 * IPv6 ULA), carrier-grade NAT, "this network", multicast and reserved ranges; IPv4-mapped IPv6
 * (::ffff:a.b.c.d) is judged as the IPv4 address it maps (BlockList does that); NAT64 and 6to4
 * prefixes, which can wrap any IPv4 address, are refused whole.
 */
const blocked = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  blocked.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [
  ["::", 128],
  ["::1", 128],
  ["fe80::", 10],
  ["fc00::", 7],
  ["ff00::", 8],
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
  ["2002::", 16],
  ["100::", 64],
] as const)
  blocked.addSubnet(net, bits, "ipv6");

export function isPrivateAddress(ip: string): boolean {
  const v = isIP(ip);
  if (v === 0) return true; // not an address at all: never a destination
  return blocked.check(ip, v === 6 ? "ipv6" : "ipv4");
}

export function allowPrivateFromEnv(env: NodeJS.ProcessEnv): boolean {
  return env.EMANAGER_WEBHOOK_ALLOW_PRIVATE === "1";
}

export class DestinationRefused extends Error {
  override readonly name = "DestinationRefused";
}

/**
 * A `lookup` for http.request that resolves the host and refuses the connection when any address
 * it resolves to is not public. The check runs on the very lookup the socket connects with, so a
 * name cannot resolve to a public address when checked and a private one when used (DNS rebinding).
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 0);
      const list = addresses;
      const bad = list.find((a) => isPrivateAddress(a.address));
      if (bad && !allowPrivate)
        return callback(
          new DestinationRefused(`${hostname} resolves to ${bad.address}, not a public address`),
          "",
          0,
        );
      const first = list[0];
      if (!first) return callback(new Error(`${hostname} has no address`), "", 0);
      if (options.all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      callback(null, first.address, first.family);
    });
  };
}

/** For a URL whose host is a literal address (no lookup happens then): refused when not public. */
export function literalHostRefusal(url: URL, allowPrivate: boolean): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) === 0 || allowPrivate) return null;
  return isPrivateAddress(host) ? `${host} is not a public address` : null;
}

/**
 * Checked when the settings are saved: a URL that names a non-public address literally, or
 * `localhost`, is refused with a message (nothing is learnt: the user typed the address). Names
 * are resolved only when sending, by guardedLookup.
 */
export function webhookUrlRefusal(raw: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Enter a full URL, like https://hooks.example.org/emanager.";
  }
  const local = /(^|\.)localhost\.?$/i.test(url.hostname) && !allowPrivate;
  if (local || literalHostRefusal(url, allowPrivate))
    return "Webhooks go only to public addresses: this one is loopback, link-local or private (an administrator can allow those with EMANAGER_WEBHOOK_ALLOW_PRIVATE=1).";
  return null;
}
