// Purposes of use and break-glass reasons go on chain only as salted hashes (in events), so the
// public log does not say why a pseudonym shared what. The salt stays with the patient's record of
// the grant; anyone holding (code, salt) can check the event.
import { AbiCoder, keccak256, hexlify, randomBytes, isHexString } from 'ethers';

export function newSalt(): string {
  return hexlify(randomBytes(32));
}

/** keccak256(abi.encode(string code, bytes32 salt)). */
export function saltedHash(code: string, salt: string): string {
  if (!code) throw new Error('purpose/reason code must be non-empty');
  if (!isHexString(salt, 32)) throw new Error('salt must be 32 bytes hex');
  return keccak256(AbiCoder.defaultAbiCoder().encode(['string', 'bytes32'], [code, salt]));
}
