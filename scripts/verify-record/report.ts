// The check's result in words, for a terminal (and --json for a program).
import { when } from './check';
import type { Outcome } from './outcome';

export function describeOutcome(o: Outcome): string {
  if (!o.ok) {
    return [`NOT VERIFIED (${o.kind}): ${o.message}`, ...o.details.map((d) => `  - ${d}`)].join('\n');
  }
  const by = o.anchorer === o.account ? `by account ${o.account}` : `for account ${o.account} by ${o.anchorer} (a grantee with write access)`;
  return [
    `VERIFIED: record ${o.recordId}, version ${o.version}, is unchanged since ${when(o.anchoredAt)}.`,
    `  - Anchored in block ${o.blockNumber} of chain ${o.chainId}, ${by},`,
    `    in a batch the chain was told holds ${o.count} records (a padded size).`,
    `    transaction ${o.txHash}`,
    `  - Content hash and leaf recomputed from the file's ciphertext; the proof checked off chain and by`,
    `    RecordAnchor.verify at ${o.contract}.`,
    `    content hash ${o.contentHash}`,
    `    batch root   ${o.root}`,
    o.contentChecked
      ? '  - The readable copy in the file was decrypted from that ciphertext with the included key and matches it.'
      : '  - The file holds no key: only the encrypted bytes were checked (the readable content was not).',
    'What this proves: these exact bytes existed under this record id and version no later than that time',
    'and have not changed since. Not who wrote the record (clinical authorship is a separate signature), not',
    'who the account belongs to, and not that no newer version exists.',
  ].join('\n');
}
