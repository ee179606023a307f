// Reads a relay's data file the way its operator could: every XMTP V2 invitation's plaintext header
// names both parties (their signed key bundles, hence their wallet addresses). Returns one
// [sender, recipient] pair (lowercase) per stored invitation envelope.
// Usage as a script (e2e tests run it under tsx, where xmtp-js loads as CommonJS):
//   tsx messaging-invites.ts <relay data file>   → prints the pairs as JSON
import { readFileSync } from 'node:fs';
import { SealedInvitation } from '@xmtp/xmtp-js';

export async function invitePairs(dataFile: string): Promise<Array<[string, string]>> {
  const pairs: Array<[string, string]> = [];
  for (const line of readFileSync(dataFile, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const { t, m } = JSON.parse(line) as { t: string; m: string };
    if (!t.startsWith('/xmtp/0/invite-')) continue;
    const header = SealedInvitation.fromBytes(Buffer.from(m, 'base64')).v1!.header;
    const [sender, recipient] = await Promise.all([header.sender.walletSignatureAddress(), header.recipient.walletSignatureAddress()]);
    pairs.push([sender.toLowerCase(), recipient.toLowerCase()]);
  }
  return pairs;
}

// CLI entry (CommonJS under tsx); the typeof checks keep this inert when a test imports the module as ESM.
if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) {
  invitePairs(process.argv[2]!)
    .then((pairs) => console.log(JSON.stringify(pairs)))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
