// One record + proof file checked end to end: offline first (shape, recomputed hashes, Merkle proof,
// readable copy), then against the chain (the right chain and contract, the proof through
// RecordAnchor.verify, the file's claimed time and block against the chain's, the Anchored event for the
// block, transaction and batch size).
import { getAddress } from 'ethers';
import { AnchorReader, ChainUnreachable, rpcChainId, trustedAnchor } from './chain';
import { checkOffline, parseProofFile } from './offline';
import { fail, type Outcome } from './outcome';

export interface CheckOptions {
  rpcUrl: string;
  /** The RecordAnchor to trust (else the repository's deployment for the file's chain id). */
  contract?: string;
}

export async function checkProofFileText(text: string, opts: CheckOptions): Promise<Outcome> {
  const parsed = parseProofFile(text);
  if (!parsed.ok) return parsed;
  const offline = await checkOffline(parsed.file);
  if (!offline.ok) return offline;
  const { file, leaf, contentHash, contentChecked } = offline.facts;
  const { anchor } = file;

  let chainId: number;
  try {
    chainId = await rpcChainId(opts.rpcUrl);
  } catch (e) {
    if (e instanceof ChainUnreachable) return unreachable(opts.rpcUrl, e);
    throw e;
  }
  if (chainId !== anchor.chainId) {
    return fail('wrong-chain', `The record was anchored on chain ${anchor.chainId}, but ${opts.rpcUrl} serves chain ${chainId}: point --rpc at a node of chain ${anchor.chainId}.`);
  }
  const trusted = trustedAnchor(chainId, opts.contract);
  if (!trusted) {
    return fail('untrusted-contract', `This verifier knows no SecureMed RecordAnchor on chain ${chainId}: pass --contract <address> taken from a source you trust (not from the file).`, [
      `the file names ${anchor.contract}`,
    ]);
  }
  if (getAddress(anchor.contract) !== trusted.address) {
    return fail('untrusted-contract', `The file names contract ${anchor.contract}, which is not SecureMed's RecordAnchor on chain ${chainId} (${trusted.address}): its answer proves nothing.`);
  }

  const reader = new AnchorReader(opts.rpcUrl, chainId, trusted.address);
  try {
    if (!(await reader.hasCode())) {
      return fail('chain-unreachable', `There is no contract at ${trusted.address} on the node at ${opts.rpcUrl}: the node is not the chain the record was anchored on (a restarted local chain forgets everything).`);
    }
    const onChain = await reader.verify(anchor.account, leaf, file.proof);
    if (onChain.anchoredAt === 0) {
      return fail('unknown-root', `The batch root was never anchored for account ${anchor.account} on chain ${chainId}: the record and its proof do not match anything anchored there (changed, or never anchored).`, [
        `root: ${file.root}`,
        `contract: ${trusted.address}`,
      ]);
    }
    if (onChain.anchoredAt !== anchor.blockTime) {
      return fail('claim-mismatch', `The file says the batch was anchored at ${when(anchor.blockTime)}, but the chain says ${when(onChain.anchoredAt)}: the file's date is wrong.`);
    }
    const event = await reader.anchoredEvent(anchor.account, file.root, anchor.blockNumber, trusted.fromBlock);
    if (!event) return fail('unknown-root', `The chain knows the root but returned no Anchored event for it from ${opts.rpcUrl} (a node without logs?).`);
    // Block 0 (genesis) can hold no anchoring: an exporter that did not know the block writes 0.
    if (anchor.blockNumber !== 0 && event.blockNumber !== anchor.blockNumber) {
      return fail('claim-mismatch', `The file says block ${anchor.blockNumber}, but the batch was anchored in block ${event.blockNumber}: the file's block is wrong.`);
    }
    return {
      ok: true,
      recordId: file.record.id,
      version: file.record.version,
      contentHash,
      leaf,
      root: file.root,
      chainId,
      contract: trusted.address,
      account: getAddress(anchor.account),
      anchorer: getAddress(onChain.anchorer),
      blockNumber: event.blockNumber,
      anchoredAt: onChain.anchoredAt,
      txHash: event.txHash,
      count: event.count,
      contentChecked,
      onChainProof: true,
    };
  } catch (e) {
    if (isConnectionError(e)) return unreachable(opts.rpcUrl, e as Error);
    throw e;
  } finally {
    reader.close();
  }
}

const unreachable = (rpcUrl: string, e: Error) =>
  fail('chain-unreachable', `The chain could not be reached at ${rpcUrl}, so nothing was checked on chain. Start the node or pass --rpc <url> (or SECUREMED_RPC_URL).`, [e.message]);

/** ethers reports a refused or dropped connection as a network error (code), not as a revert. */
function isConnectionError(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return code === 'NETWORK_ERROR' || code === 'TIMEOUT' || code === 'SERVER_ERROR' || code === 'ECONNREFUSED' || e instanceof ChainUnreachable;
}

/** A unix time in plain words, UTC (a court and a clinic in two time zones read the same sentence). */
export function when(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toLocaleString('en-GB', { dateStyle: 'full', timeStyle: 'long', timeZone: 'UTC' });
}
