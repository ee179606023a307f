// On-chain side of SecureMed, for the extension, tests and scripts. No Hardhat here: ethers only.
export * from './abis';
export * from './deployments';
export * from './eip712';
export * from './merkle';
export * from './purpose';
export * from './scopes';
export * from './relayer';
