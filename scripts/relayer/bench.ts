// relayer.submit_to_confirmed_ms: from POST /v1/actions of a signed grant to GET /v1/actions/:id
// saying confirmed, on a local Hardhat node (automine), median of 20 sequential actions. The client
// polls the status every 10 ms, so the figure is the relayer's own path (checks, simulation, send,
// receipt) plus at most that.
import { Wallet, hexlify, randomBytes } from 'ethers';
import { deployAll } from '../deploy';
import { startLocalChain } from '../lib/chain';
import { portFree } from '../lib/net';
import { consentDomain, grantTypedData } from '../../shared/chain/eip712';
import { relayRequest, relayerStatus, submitToRelayer } from '../../shared/chain/relayer';
import { hardhatDevKey } from './config';
import { startRelayer } from './server';

/** A free port on 127.0.0.1 for a node or server the bench starts (also used by scripts/bench/anchor.ts). */
export async function freePort(): Promise<number> {
  for (let port = 20_000 + Math.floor(Math.random() * 20_000); ; port++) if (await portFree(port)) return port;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function relayerMetrics(runs = 20): Promise<{ submitToConfirmedMs: number; samples: number[] }> {
  const chain = await startLocalChain(await freePort());
  let relayer: Awaited<ReturnType<typeof startRelayer>> | undefined;
  try {
    const d = await deployAll(chain.url, { write: false });
    relayer = await startRelayer({ rpcUrl: chain.url, deployment: d, privateKey: hardhatDevKey(19), allowedOrigins: [] });
    const domain = consentDomain(d.chainId, d.contracts.ConsentRegistry);
    const samples: number[] = [];
    for (let i = 0; i < runs + 2; i++) {
      const patient = new Wallet(Wallet.createRandom().privateKey);
      const block = await (await fetch(chain.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_getBlockByNumber","params":["latest",false]}' })).json();
      const now = BigInt(block.result.timestamp);
      const td = grantTypedData(domain, {
        patient: patient.address, grantee: Wallet.createRandom().address, scopes: 1, expiresAt: now + 86_400n, purpose: hexlify(randomBytes(32)), epoch: 0, nonce: 0n, deadline: now + 600n,
      });
      const body = relayRequest('grantBySig', d.chainId, d.contracts.ConsentRegistry, td.message, await patient.signTypedData(td.domain, td.types, td.message));
      const started = performance.now();
      const sent = await submitToRelayer(relayer.url, body);
      if (!sent.ok) throw new Error(`relayer refused the bench action: ${sent.error.message}`);
      for (;;) {
        const r = await relayerStatus(relayer.url, sent.request.id);
        if (r.ok && r.request.status === 'confirmed') break;
        if (!r.ok || r.request.status === 'failed') throw new Error(`bench action failed: ${JSON.stringify(r)}`);
        await new Promise((done) => setTimeout(done, 10));
      }
      if (i >= 2) samples.push(performance.now() - started); // two warm-up actions
    }
    return { submitToConfirmedMs: median(samples), samples };
  } finally {
    await relayer?.close();
    await chain.stop();
  }
}

if (require.main === module) {
  relayerMetrics()
    .then((m) => console.log(`relayer.submit_to_confirmed_ms ${m.submitToConfirmedMs.toFixed(1)} (samples ${m.samples.map((s) => s.toFixed(0)).join(' ')})`))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
