/**
 * `npm run verify-record -- <proof file> [--rpc <url>] [--contract <address>] [--json]`
 *
 * Checks an exported SecureMed record + proof file against the chain, without the extension or the
 * vault: recomputes the record's content hash and leaf from its ciphertext, checks the Merkle proof off
 * chain and through RecordAnchor.verify, and reads the Anchored event for the block and date.
 * Exit code 0: verified; 1: not verified, or the check could not be done (the message says which).
 * RPC: --rpc, else SECUREMED_RPC_URL, else the local node (http://127.0.0.1:8545).
 * See docs/verify-a-record.md.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isAddress } from 'ethers';
import { checkProofFileText } from './verify-record/check';
import { fail, type Outcome } from './verify-record/outcome';
import { describeOutcome } from './verify-record/report';

const USAGE = 'usage: npm run verify-record -- <record-proof.json> [--rpc <url>] [--contract <RecordAnchor address>] [--json]';

async function main(argv: string[]): Promise<Outcome | 'usage'> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { rpc: { type: 'string' }, contract: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 'usage';
  }
  if (args.values.help || args.positionals.length !== 1) {
    console.error(USAGE);
    return 'usage';
  }
  const path = args.positionals[0];
  const rpcUrl = args.values.rpc ?? process.env.SECUREMED_RPC_URL ?? 'http://127.0.0.1:8545';
  const contract = args.values.contract;
  if (contract !== undefined && !isAddress(contract)) {
    console.error(`--contract must be an address (0x + 40 hex), not ${contract}\n${USAGE}`);
    return 'usage';
  }
  const text = readText(path);
  const outcome = typeof text === 'string' ? await checkProofFileText(text, { rpcUrl, contract }) : text;
  console.log(args.values.json ? JSON.stringify(outcome, null, 2) : describeOutcome(outcome));
  return outcome;
}

function readText(path: string): string | Outcome {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    return fail('malformed-file', `The file ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
}

main(process.argv.slice(2))
  .then((o) => process.exit(o !== 'usage' && o.ok ? 0 : 1))
  .catch((e: unknown) => {
    console.error(`NOT VERIFIED (error): the check stopped unexpectedly: ${(e as Error).stack ?? String(e)}`);
    process.exit(1);
  });
