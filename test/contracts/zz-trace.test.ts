import { it } from 'vitest';
import hre from 'hardhat';
it('trace', async () => {
  const [a, b] = await hre.ethers.getSigners();
  const d = await hre.ethers.deployContract('ProviderDirectory', [86400, a.address]);
  const c = await hre.ethers.deployContract('ConsentRegistry', [await d.getAddress()]);
  const tx = await c.grant(b.address, 0x15, 2000000000n, hre.ethers.hexlify(hre.ethers.randomBytes(32)));
  const r = await tx.wait();
  const t: any = await hre.network.provider.send('debug_traceTransaction', [tx.hash, { disableStorage: true, disableMemory: true, disableStack: true }]);
  const logs = t.structLogs;
  const byOp: Record<string, number> = {};
  for (const l of logs) byOp[l.op] = (byOp[l.op] ?? 0) + l.gasCost;
  console.log('gasUsed', r!.gasUsed, 'exec', logs[0].gas - logs[logs.length-1].gas, 'steps', logs.length);
  console.log(Object.entries(byOp).sort((x, y) => y[1] - x[1]).slice(0, 15));
  console.log('data', tx.data);
});
