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

/** The relay data file's invitation pairs, read by messaging-invites.ts under tsx (xmtp-js loads as CommonJS there). */
export async function invitePairsOf(dataFile: string): Promise<Array<[string, string]>> {
  const { execFile } = await import('node:child_process');
  const { resolve } = await import('node:path');
  const { promisify } = await import('node:util');
  const script = resolve(__dirname, 'messaging-invites.ts');
  const { stdout } = await promisify(execFile)('npx', ['tsx', script, dataFile], { cwd: resolve(__dirname, '../../..'), timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Array<[string, string]>;
}
