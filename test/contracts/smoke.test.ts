import { describe, it, expect } from 'vitest';
import hre from 'hardhat';
describe('smoke', () => { it('works', async () => {
  const [a] = await hre.ethers.getSigners();
  const d = await hre.ethers.deployContract('ProviderDirectory', [86400, a.address]);
  expect(await d.getAddress()).toMatch(/^0x/);
});});
