import { HDNodeWallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { x25519 } from '@noble/curves/ed25519.js';
import { equalBytes, toHex } from '../../../shared/crypto/bytes.js';
import {
  addressFromPublicKey,
  deriveAccount,
  deriveIdentity,
  derivePairwiseAccount,
  generateMnemonic,
  MESSAGING_PATH,
  mnemonicToSeed,
  normalizeCounterparty,
  pairwisePath,
  toChecksumAddress,
  validateMnemonic,
  WALLET_DEFAULT_PATH,
} from '../../../shared/crypto/identity.js';

// Standard vectors only: BIP-39 (trezor/python-mnemonic vectors.json), Hardhat/Anvil default accounts, EIP-55.
const ABANDON_12 = `${'abandon '.repeat(11)}about`;
const ABANDON_24 = `${'abandon '.repeat(23)}art`;
const TREZOR_SEED =
  'c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04';
const HARDHAT = 'test test test test test test test test test test test junk';

describe('BIP-39 recovery phrase', () => {
  it('reproduces the BIP-39 vector (abandon … about, passphrase TREZOR)', async () => {
    expect(toHex(await mnemonicToSeed(ABANDON_12, 'TREZOR'))).toBe(TREZOR_SEED);
  });

  it('generates valid 12- and 24-word phrases', () => {
    for (const n of [12, 24] as const) {
      const phrase = generateMnemonic(n);
      expect(phrase.split(' ')).toHaveLength(n);
      expect(validateMnemonic(phrase)).toBe(phrase);
    }
    expect(generateMnemonic()).not.toBe(generateMnemonic());
  });

  it('accepts sloppy spacing and case, returning the canonical phrase', () => {
    expect(validateMnemonic(`  ${ABANDON_12.toUpperCase().replaceAll(' ', '  \n')} `)).toBe(ABANDON_12);
    expect(validateMnemonic(ABANDON_24)).toBe(ABANDON_24);
  });

  it.each([
    [`${'abandon '.repeat(10)}about`, /12 or 24 words, this one has 11/],
    ['', /this one has 0/],
    [ABANDON_12.replace('about', 'xyz'), /unknown word 'xyz' \(word 12\)/],
    [ABANDON_12.replace('abandon', 'abandoned'), /unknown word 'abandoned' \(word 1\)/],
    [`${'abandon '.repeat(11)}abandon`, /bad checksum/],
    [`about ${'abandon '.repeat(10)}abandon`, /bad checksum/],
  ])('rejects %j with a clear message', async (phrase, message) => {
    expect(() => validateMnemonic(phrase)).toThrow(expect.objectContaining({ code: 'invalid-mnemonic', message: expect.stringMatching(message) }));
    await expect(mnemonicToSeed(phrase)).rejects.toMatchObject({ code: 'invalid-mnemonic' });
  });
});

describe('secp256k1 accounts and addresses', () => {
  it('EIP-55 checksum vectors', () => {
    for (const a of [
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
      '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
      '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
    ]) {
      expect(toChecksumAddress(a.toLowerCase())).toBe(a);
    }
    expect(() => toChecksumAddress('0x1234')).toThrow();
  });

  it('Hardhat default mnemonic at the wallet default path gives the well-known accounts', async () => {
    const seed = await mnemonicToSeed(HARDHAT);
    const a0 = deriveAccount(seed, WALLET_DEFAULT_PATH);
    expect(a0.address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    expect(toHex(a0.privateKey)).toBe('ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
    expect(deriveAccount(seed, "m/44'/60'/0'/0/1").address).toBe('0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
    // Compressed and uncompressed encodings of one key give one address.
    const { secp256k1 } = await import('@noble/curves/secp256k1.js');
    expect(addressFromPublicKey(secp256k1.getPublicKey(a0.privateKey, false))).toBe(a0.address);
  });

  it('the SecureMed messaging path is not the wallet default and matches an independent implementation', async () => {
    const seed = await mnemonicToSeed(HARDHAT);
    const id = deriveIdentity(seed);
    expect(MESSAGING_PATH).toBe("m/44'/60'/7877'/0/0");
    expect(id.messaging.path).toBe(MESSAGING_PATH);
    expect(id.messaging.address).not.toBe(deriveAccount(seed, WALLET_DEFAULT_PATH).address);
    expect(id.messaging.address).toBe(HDNodeWallet.fromPhrase(HARDHAT, undefined, MESSAGING_PATH).address);
  });
});

describe('pairwise accounts', () => {
  const origins = ['https://portal.hospital.example', 'https://ehr.clinic.example:8443', `0x${'1f'.repeat(20)}`];

  it('are deterministic, distinct per counterparty, and distinct from messaging/wallet addresses', async () => {
    const seed = await mnemonicToSeed(ABANDON_12);
    const again = await mnemonicToSeed(ABANDON_12);
    const accounts = origins.map((o) => derivePairwiseAccount(seed, o));
    expect(origins.map((o) => derivePairwiseAccount(again, o).address)).toEqual(accounts.map((a) => a.address));
    const all = new Set([
      ...accounts.map((a) => a.address),
      deriveIdentity(seed).messaging.address,
      deriveAccount(seed, WALLET_DEFAULT_PATH).address,
    ]);
    expect(all.size).toBe(origins.length + 2);
    for (const a of accounts) expect(a.path).toMatch(/^m\/44'\/60'\/7877'\/1\/\d+'\/\d+'$/);
    expect(accounts[0]!.address).toBe(HDNodeWallet.fromPhrase(ABANDON_12, undefined, accounts[0]!.path).address);
  });

  it('depend on the seed: another phrase gives other paths and addresses for the same party', async () => {
    const s1 = await mnemonicToSeed(ABANDON_12);
    const s2 = await mnemonicToSeed(HARDHAT);
    expect(pairwisePath(s1, origins[0]!)).not.toBe(pairwisePath(s2, origins[0]!));
    expect(derivePairwiseAccount(s1, origins[0]!).address).not.toBe(derivePairwiseAccount(s2, origins[0]!).address);
  });

  it('normalise addresses, and refuse non-canonical or opaque origins', async () => {
    const seed = await mnemonicToSeed(ABANDON_12);
    const addr = `0x${'aB'.repeat(20)}`;
    expect(pairwisePath(seed, addr)).toBe(pairwisePath(seed, addr.toLowerCase()));
    expect(normalizeCounterparty('https://a.example')).toBe('https://a.example');
    for (const bad of ['https://a.example/', 'HTTPS://A.example', 'null', 'a.example', 'https://a.example/path', '0x1234']) {
      expect(() => normalizeCounterparty(bad)).toThrow(expect.objectContaining({ code: 'invalid-input' }));
    }
  });
});

describe('encryption key and vault keys', () => {
  it('same phrase -> same keys; another phrase -> other keys', async () => {
    const a = deriveIdentity(await mnemonicToSeed(ABANDON_12));
    const b = deriveIdentity(await mnemonicToSeed(ABANDON_12));
    const c = deriveIdentity(await mnemonicToSeed(HARDHAT));
    expect(a).toEqual(b);
    expect(equalBytes(a.encryption.pk, c.encryption.pk)).toBe(false);
    expect(equalBytes(a.vault.dekWrap, c.vault.dekWrap)).toBe(false);
  });

  it('X25519 public key matches its private key; the vault keys are 32 bytes and distinct', async () => {
    const id = deriveIdentity(await mnemonicToSeed(ABANDON_12));
    expect(id.encryption.pk).toEqual(x25519.getPublicKey(id.encryption.sk));
    const keys = [id.vault.dekWrap, id.vault.searchIndex, id.vault.dedup, id.encryption.sk, id.messaging.privateKey];
    for (const k of keys) expect(k.length).toBe(32);
    expect(new Set(keys.map(toHex)).size).toBe(keys.length);
  });
});
