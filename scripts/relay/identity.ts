// A real XMTP V2 identity and its auth tokens, made exactly the way xmtp-js makes them (its own
// PrivateKeyBundleV1 and LocalAuthenticator), for the bench and the tests that talk raw HTTP.
import { LocalAuthenticator, PrivateKeyBundleV1, type PrivateKey } from '@xmtp/xmtp-js';
import { Wallet } from 'ethers';

export interface XmtpIdentity {
  /** The wallet address the identity key is signed by (EIP-55). */
  address: string;
  /** A base64 auth token as xmtp-js sends it in `Authorization: Bearer …`, created at `at` (default now). */
  token(at?: Date): Promise<string>;
  /** The identity key (its public half is signed by the wallet): tests forge tokens with it. */
  identityKey: PrivateKey;
}

export async function newIdentity(wallet: Wallet = Wallet.createRandom() as unknown as Wallet): Promise<XmtpIdentity> {
  const bundle = await PrivateKeyBundleV1.generate(wallet);
  const auth = new LocalAuthenticator(bundle.identityKey);
  return {
    address: wallet.address,
    token: async (at?: Date) => (await auth.createToken(at)).toBase64(),
    identityKey: bundle.identityKey,
  };
}
