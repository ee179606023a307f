import { z } from 'zod';
import localDeployment from '../chain/deployments/local.json';

/**
 * Extension settings: which chain and contracts, which messaging node and relayer, auto-lock time.
 * One schema, used by the settings page (to show field errors) and by the background (to refuse).
 * The local stack (`npm start`) is the default; public networks are configured here.
 */
/** Loopback hosts may speak plain http (the local stack); everything else must be https. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** An endpoint SecureMed talks to: https, or http on a loopback host only (no one else can listen there). */
export function isAllowedEndpoint(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.username || url.password) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

const httpUrl = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter the ${what}.`)
    .max(2048, `The ${what} is too long.`)
    .refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), `The ${what} must be a web address starting with https://.`)
    .refine(
      (s) => !URL.canParse(s) || !/^https?:$/.test(new URL(s).protocol) || isAllowedEndpoint(s),
      `The ${what} must start with https:// (plain http:// is only allowed for this computer: localhost or 127.0.0.1), with no user name or password in it.`,
    );

const address = (name: string) =>
  z.string().trim().regex(/^0x[0-9a-fA-F]{40}$/, `The ${name} address must be 0x followed by 40 hexadecimal characters.`);

/** The local stack's three storage nodes (storage-nodes/, started by `npm start` on these ports). */
export const DEFAULT_STORAGE_NODES: ReadonlyArray<{ url: string; credential?: string }> = Object.freeze([
  { url: 'http://127.0.0.1:5101' },
  { url: 'http://127.0.0.1:5102' },
  { url: 'http://127.0.0.1:5103' },
]);

/** One IPFS node holding an encrypted replica (extension/replicas): its API base URL and, if it needs one, a credential. */
export const StorageNode = z.strictObject({
  url: httpUrl('storage node URL'),
  credential: z.string().trim().max(1024, 'The storage node credential is too long.').optional(),
});
export type StorageNode = z.infer<typeof StorageNode>;

export const Settings = z.strictObject({
  chainId: z
    .number({ error: 'The chain id must be a number.' })
    .int('The chain id must be a whole number.')
    .positive('The chain id must be a positive number.')
    .max(2 ** 53 - 1, 'The chain id is too large.'),
  rpcUrl: httpUrl('chain RPC URL'),
  contracts: z.strictObject({
    ConsentRegistry: address('consent contract'),
    RecordAnchor: address('anchor contract'),
    ProviderDirectory: address('directory contract'),
  }),
  messagingUrl: httpUrl('messaging node URL'),
  relayerUrl: httpUrl('relayer URL'),
  autoLockMinutes: z
    .number({ error: 'Auto-lock must be a number of minutes.' })
    .int('Auto-lock must be a whole number of minutes.')
    .min(1, 'Auto-lock must be at least 1 minute.')
    .max(24 * 60, 'Auto-lock can be at most 24 hours (1440 minutes).'),
  /** Settings saved before replicas existed have no list: they get the default nodes. */
  storageNodes: z
    .array(StorageNode)
    .max(16, 'At most 16 storage nodes.')
    .refine((nodes) => new Set(nodes.map((n) => n.url.replace(/\/+$/, ''))).size === nodes.length, 'Each storage node can be listed once.')
    .default(() => DEFAULT_STORAGE_NODES.map((n) => ({ ...n }))),
});
export type Settings = z.infer<typeof Settings>;

/** Fields whose change points SecureMed at another network: they need an unlocked vault and a confirm. */
export const NETWORK_FIELDS = ['chainId', 'rpcUrl', 'contracts', 'messagingUrl', 'relayerUrl'] as const;

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  chainId: localDeployment.chainId,
  rpcUrl: 'http://127.0.0.1:8545',
  contracts: { ...localDeployment.contracts },
  messagingUrl: 'http://127.0.0.1:5555',
  relayerUrl: 'http://127.0.0.1:8546',
  autoLockMinutes: 15,
  storageNodes: DEFAULT_STORAGE_NODES.map((n) => ({ ...n })),
}) as Settings;

export function networkChanged(a: Settings, b: Settings): boolean {
  return NETWORK_FIELDS.some((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]));
}

/** Field path → first message, for showing errors next to the right input. */
export function settingsErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.join('.');
    out[path] ??= issue.message;
  }
  return out;
}
