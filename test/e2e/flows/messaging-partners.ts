// Who appears with whom in the relay's stored invitations (pairs from messaging-invites.ts). Kept apart
// from that script so e2e tests can use it without loading xmtp-js (its ESM build does not load in Node).

/** Every counterparty each address appears with in an invitation. */
export function partnersByAddress(pairs: Array<[string, string]>): Map<string, Set<string>> {
  const partners = new Map<string, Set<string>>();
  const link = (a: string, b: string) => partners.set(a, (partners.get(a) ?? new Set()).add(b));
  for (const [a, b] of pairs) {
    link(a, b);
    link(b, a);
  }
  return partners;
}
