import { zeroPadValue } from 'ethers';
import { describeMask } from '../../shared/chain/scopes';
import { categoryLabel } from '../../shared/protocol/categories';
import type { AuditLine, ChainActivity } from '../../shared/protocol/ui/audit';
import { chainContext, readChain } from '../chain/rpc';
import { loadSites } from '../consent/store';
import { hostOf } from './words';

/**
 * The consent contract's events about the patient's pairwise accounts (one per site and grantee, plus
 * the account each site was given at connect): granted, revoked, access requested, break-glass. They
 * join the Activity timeline when the patient asks for them.
 *
 * What the RPC operator learns: each account is asked for in its own eth_getLogs, one after the other,
 * never in one query listing them all. That keeps a single request from spelling out the patient's
 * relationships, but whoever runs the RPC still sees the questions arrive together from one address —
 * the Activity tab says so in words before the patient turns this on (ActivityPanel.tsx).
 */
const EVENTS = ['Granted', 'Revoked', 'AccessRequested', 'BreakGlass'] as const;
type EventName = (typeof EVENTS)[number];
const CACHE_MS = 30_000;

interface Account {
  account: string;
  origin: string;
}

/** Every pairwise account the consent store knows, with the site it was made for. */
async function pairwiseAccounts(): Promise<Account[]> {
  const byAccount = new Map<string, Account>();
  for (const site of await loadSites()) {
    byAccount.set(site.address.toLowerCase(), { account: site.address, origin: site.origin });
    for (const p of site.permissions) byAccount.set(p.patient.toLowerCase(), { account: p.patient, origin: site.origin });
  }
  return [...byAccount.values()];
}

const short = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`;
const dateWords = (seconds: number) => new Date(seconds * 1000).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

function categories(mask: number): string {
  const names = describeMask(mask).filter((n) => n !== 'WRITE');
  return names.length ? names.map(categoryLabel).join(', ').toLowerCase() : 'nothing';
}

/** One event in the patient's words. */
export function chainLineText(name: EventName, host: string, args: { scopes?: number; expiresAt?: number; until?: number; other: string }): string {
  switch (name) {
    case 'Granted':
      return `Permission for ${host} recorded on the blockchain: ${categories(args.scopes ?? 0)}, until ${dateWords(args.expiresAt ?? 0)}`;
    case 'Revoked':
      return `Permission for ${host} withdrawn on the blockchain`;
    case 'AccessRequested':
      return `${short(args.other)} asked on the blockchain for access to your ${categories(args.scopes ?? 0)} (account for ${host})`;
    case 'BreakGlass':
      return `Emergency access by ${short(args.other)} until ${dateWords(args.until ?? 0)} (account for ${host})`;
  }
}

async function eventsOf({ account, origin }: Account): Promise<AuditLine[]> {
  const { contract, provider } = await chainContext();
  const consent = contract('ConsentRegistry');
  return readChain(`consentEvents:${account.toLowerCase()}`, CACHE_MS, async () => {
    const topic0 = EVENTS.map((n) => consent.interface.getEvent(n)!.topicHash);
    const logs = await provider.getLogs({ address: await consent.getAddress(), topics: [topic0, zeroPadValue(account, 32)], fromBlock: 0, toBlock: 'latest' });
    const times = new Map<number, number>();
    const lines: AuditLine[] = [];
    for (const log of logs) {
      const parsed = consent.interface.parseLog(log);
      if (!parsed) continue;
      const name = parsed.name as EventName;
      if (!times.has(log.blockNumber)) times.set(log.blockNumber, (await provider.getBlock(log.blockNumber))!.timestamp * 1000);
      const at = times.get(log.blockNumber)!;
      const a = parsed.args;
      const other = String(name === 'BreakGlass' ? a.accessor : name === 'AccessRequested' ? a.requester : a.grantee);
      lines.push({
        id: `chain:${log.transactionHash}:${log.index}`,
        origin,
        method: `chain:${name}`,
        outcome: 'allowed',
        text: chainLineText(name, hostOf(origin), { scopes: a.scopes === undefined ? undefined : Number(a.scopes), expiresAt: a.expiresAt === undefined ? undefined : Number(a.expiresAt), until: a.until === undefined ? undefined : Number(a.until), other }),
        grantee: other,
        scopes: [],
        resources: 0,
        count: 1,
        first: at,
        last: at,
        source: 'chain',
        txHash: log.transactionHash,
      });
    }
    return lines;
  });
}

/** The chain's consent events for every pairwise account, one account per request. */
export async function chainActivity(): Promise<{ lines: AuditLine[]; about: ChainActivity }> {
  const { settings } = await chainContext();
  const accounts = await pairwiseAccounts();
  const lines: AuditLine[] = [];
  try {
    for (const a of accounts) lines.push(...(await eventsOf(a)));
  } catch (error) {
    return { lines, about: { rpc: hostOf(settings.rpcUrl), accounts: accounts.length, error: (error as Error).message || 'The chain did not answer.' } };
  }
  return { lines, about: { rpc: hostOf(settings.rpcUrl), accounts: accounts.length } };
}
