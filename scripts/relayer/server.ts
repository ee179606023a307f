// The relayer: an HTTP service that pays the gas of our contracts' signed actions and nothing else.
// POST /v1/actions checks, in this order (cheapest first, nothing paid before the last step):
//   Origin (403) → request rate per IP (429) → size (413) → JSON → function known → its zod schema
//   (400) → chain and contract (400) → EIP-712 signature recovered off-chain (400) → same signature
//   already live (200, the existing request) → account and IP sponsorship limits (429) → simulation
//   (422 would revert, 503 chain down) → budget (429) → 202 with a request id.
// GET /v1/actions/:id reports pending / confirmed (tx hash, block) / failed (reason in words).
// See README.md for the API, the policy and what a relayer can and cannot see.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JsonRpcProvider, Network, Signature, TypedDataEncoder, Wallet, getAddress, verifyTypedData } from 'ethers';
import { ACTIONS, DOMAIN_OF, Envelope, FUNCTION_NAMES, INTERFACES, isFunctionName, type ActionSpec, type ContractName } from './actions';
import { ApiError, checkOrigin, readJson, sendJson, zodMessage } from './http';
import { DEFAULT_POLICY, LimitExceeded, Sponsorship, type PolicyConfig } from './policy';
import { publicView, RequestStore } from './store';
import { ChainUnavailable, DEFAULT_RETRY, Submitter, type Fees, type RetryConfig } from './submitter';

export interface RelayerDeployment {
  chainId: number;
  contracts: Record<ContractName, string>;
}

export interface RelayerOptions {
  rpcUrl: string;
  deployment: RelayerDeployment;
  /** The key that pays. On the local chain a Hardhat dev account (see config.ts). */
  privateKey: string;
  port?: number; // 0 (default): a free port
  host?: string; // default 127.0.0.1
  /** Origins allowed to call from a browser (the extension's); requests without Origin are served. */
  allowedOrigins: readonly string[];
  policy?: Partial<PolicyConfig>;
  retry?: Partial<RetryConfig>;
  /** Persist requests and the spent budget here (JSON); in memory when absent. */
  dataFile?: string;
  maxBodyBytes?: number;
  log?: (line: string) => void;
}

export interface Relayer {
  url: string;
  port: number;
  /** The account that pays. */
  address: string;
  close(): Promise<void>;
}

export const MAX_BODY_BYTES = 8 * 1024;

export async function startRelayer(opts: RelayerOptions): Promise<Relayer> {
  const log = opts.log ?? (() => {});
  const { chainId, contracts } = opts.deployment;
  const provider = new JsonRpcProvider(opts.rpcUrl, Network.from(chainId), { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  const wallet = new Wallet(opts.privateKey, provider);
  const store = new RequestStore(opts.dataFile);
  const policy: PolicyConfig = { ...DEFAULT_POLICY, ...opts.policy };
  const sponsorship = new Sponsorship(policy, store.spentWei);
  const submitter = new Submitter(provider, wallet, store, sponsorship, { ...DEFAULT_RETRY, ...opts.retry }, log);
  const allowed = new Set(opts.allowedOrigins);
  const nameOf = new Map(Object.entries(contracts).map(([name, a]) => [a.toLowerCase(), name as ContractName]));

  async function accept(req: IncomingMessage, res: ServerResponse, ip: string): Promise<void> {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      throw new ApiError(415, 'unsupported_media_type', 'Send the action as JSON (content-type: application/json).');
    }
    const body = await readJson(req, opts.maxBodyBytes ?? MAX_BODY_BYTES);
    const fn = Envelope.safeParse(body).data?.function;
    if (!isFunctionName(fn)) {
      throw new ApiError(400, 'unknown_function', `This relayer pays only for ${FUNCTION_NAMES.join(', ')}; got ${JSON.stringify(fn ?? null).slice(0, 80)}.`);
    }
    const spec: ActionSpec = ACTIONS[fn];
    const parsed = spec.schema.safeParse(body);
    if (!parsed.success) throw new ApiError(400, 'invalid_request', zodMessage(parsed.error));
    const action = parsed.data;
    if (action.chainId !== chainId) throw new ApiError(400, 'wrong_chain', `This relayer submits on chain ${chainId}, not ${action.chainId}.`);
    const contractName = nameOf.get(action.contract.toLowerCase());
    if (!contractName || !(spec.contracts as readonly ContractName[]).includes(contractName)) {
      throw new ApiError(400, 'unknown_contract', `${fn} is paid for only on ${spec.contracts.map((c) => `${c} ${contracts[c]}`).join(' or ')}; got ${action.contract}.`);
    }

    const to = contracts[contractName];
    const domain = DOMAIN_OF[contractName](chainId, to);
    const signer = getAddress(action.message[spec.signerField] as string);
    let recovered: string;
    let sig: Signature;
    try {
      sig = Signature.from(action.signature);
      recovered = verifyTypedData(domain, spec.types, action.message, sig);
    } catch {
      throw new ApiError(400, 'bad_signature', 'The signature could not be read.');
    }
    if (recovered !== signer) {
      throw new ApiError(400, 'bad_signature', `The signature is not ${signer}'s for this action, contract and chain (it recovers to ${recovered}).`);
    }

    const digest = TypedDataEncoder.hash(domain, spec.types, action.message);
    const existing = store.liveByDigest(digest);
    if (existing) return sendJson(res, 200, publicView(existing));

    sponsorship.checkSponsorable(signer, ip);
    const data = INTERFACES[contractName].encodeFunctionData(fn, spec.args(action.message, sig.r, sig.yParityAndS));
    let gas: bigint;
    let fees: Fees;
    try {
      const sim = await submitter.simulate(to, data);
      if (!sim.ok) throw new ApiError(422, 'would_revert', sim.reason, { revert: sim.error, retryable: false });
      gas = sim.gas;
      fees = await submitter.fees();
    } catch (e) {
      if (e instanceof ChainUnavailable) throw new ApiError(503, 'chain_unavailable', e.message, { retryable: true });
      throw e;
    }
    const reserved = sponsorship.reserve(((gas * 12n) / 10n + 10_000n) * fees.maxFeePerGas);
    sponsorship.charge(signer, ip);
    const record = store.create({ function: fn, contract: to, signer, digest, data, reservedWei: reserved.toString() });
    log(`relayer: accepted ${fn} ${record.id} for ${signer}`);
    submitter.enqueue(record.id, { gas, fees });
    sendJson(res, 202, publicView(record));
  }

  async function health(res: ServerResponse): Promise<void> {
    const budget = sponsorship.budget();
    let chain: { up: boolean; block?: number; balanceWei?: string; error?: string };
    try {
      const [block, balance] = await Promise.all([provider.getBlockNumber(), provider.getBalance(wallet.address)]);
      chain = { up: true, block, balanceWei: balance.toString() };
    } catch (e) {
      chain = { up: false, error: (e as Error).message.slice(0, 200) };
    }
    sendJson(res, 200, {
      ok: chain.up,
      chainId,
      relayer: wallet.address,
      contracts,
      functions: FUNCTION_NAMES,
      chain,
      budget: { budgetWei: budget.budgetWei.toString(), spentWei: budget.spentWei.toString(), reservedWei: budget.reservedWei.toString() },
      limits: { perAccount: policy.perAccount, perIp: policy.perIp, requestsPerIpPerMinute: policy.requestsPerIpPerMinute },
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    checkOrigin(req, res, allowed);
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const ip = req.socket.remoteAddress ?? 'unknown';
    sponsorship.countRequest(ip);
    const path = new URL(req.url ?? '/', 'http://relayer').pathname;
    if (req.method === 'GET' && path === '/v1/health') return health(res);
    if (path === '/v1/actions') {
      if (req.method !== 'POST') throw new ApiError(405, 'method_not_allowed', 'POST a signed action to /v1/actions.');
      return accept(req, res, ip);
    }
    const m = /^\/v1\/actions\/(ra_[0-9a-f]{24})$/.exec(path);
    if (m && req.method === 'GET') {
      const r = store.get(m[1]);
      if (!r) throw new ApiError(404, 'unknown_request', `No request ${m[1]} here (a relayer without a data file forgets requests when it restarts).`);
      return sendJson(res, 200, publicView(r));
    }
    throw new ApiError(404, 'not_found', `No such endpoint: ${req.method} ${path}.`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (e instanceof LimitExceeded) {
        if (e.retryAfterSeconds) res.setHeader('Retry-After', String(e.retryAfterSeconds));
        return sendJson(res, 429, { error: { code: 'limit_exceeded', limit: e.limit, message: e.message, retryAfterSeconds: e.retryAfterSeconds } });
      }
      const err = e instanceof ApiError ? e : new ApiError(500, 'internal', 'The relayer failed on this request.');
      if (!(e instanceof ApiError)) log(`relayer: ${req.method} ${req.url} failed: ${(e as Error)?.stack ?? e}`);
      if (err.status === 413) res.setHeader('Connection', 'close');
      sendJson(res, err.status, { error: { code: err.code, message: err.message, ...err.extra } });
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  submitter.resume();
  log(`relayer: listening on http://${host}:${port}, paying from ${wallet.address} on chain ${chainId}`);

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    address: wallet.address,
    close() {
      closing ??= new Promise<void>((resolve) => {
        submitter.close();
        server.close(() => {
          store.flush();
          provider.destroy();
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
