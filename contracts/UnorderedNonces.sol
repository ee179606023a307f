// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SignatureChecks} from "./SignatureChecks.sol";

/// @title UnorderedNonces
/// @notice Per-signer bitmap nonces (as in Uniswap Permit2) for EIP-712 signed actions.
/// @dev A nonce is one bit: word `nonce >> 8`, bit `nonce & 0xff`. Nonces can be used in any
///      order, so a signature the relayer withholds never blocks a later one; the signer cancels
///      outstanding signatures by setting their bits (directly or by a signed cancel). Each inheriting
///      contract has its own bitmap (nonces are per contract, like the EIP-712 domain).
abstract contract UnorderedNonces is SignatureChecks {
    bytes32 internal constant CANCEL_TYPEHASH =
        keccak256("CancelNonces(address patient,uint256 wordPos,uint256 mask,uint256 deadline)");

    /// @notice Used/cancelled nonce bits of `signer` in word `wordPos` (bit i = nonce wordPos << 8 | i).
    mapping(address signer => mapping(uint256 wordPos => uint256 bits)) public nonceBitmap;

    event NoncesCancelled(address indexed signer, uint256 wordPos, uint256 mask);

    error NonceAlreadyUsed(address signer, uint256 nonce);
    error EmptyMask();

    /// @notice Cancel the caller's nonces whose bits are set in `mask` within word `wordPos`.
    /// @param wordPos Bitmap word index (nonce >> 8).
    /// @param mask Bits to set (nonce & 0xff positions); non-zero.
    function cancelNonces(uint256 wordPos, uint256 mask) external {
        _cancel(msg.sender, wordPos, mask);
    }

    /// @notice Submit a nonce cancellation signed by `patient` (EIP-712 `CancelNonces`).
    /// @dev Carries no nonce of its own: replaying it only sets bits that are already set.
    /// @param patient The signer whose nonces are cancelled.
    /// @param wordPos Bitmap word index.
    /// @param mask Bits to set; non-zero.
    /// @param deadline Last second at which the signature is accepted.
    /// @param r Signature by `patient`, EIP-2098 compact form: r.
    /// @param vs Signature by `patient`, EIP-2098 compact form: s with the y-parity in the top bit.
    function cancelNoncesBySig(
        address patient,
        uint256 wordPos,
        uint256 mask,
        uint256 deadline,
        bytes32 r, bytes32 vs
    ) external {
        _checkSignature(
            patient, keccak256(abi.encode(CANCEL_TYPEHASH, patient, wordPos, mask, deadline)), deadline, r, vs
        );
        _cancel(patient, wordPos, mask);
    }

    /// @notice Whether `signer`'s `nonce` is already used or cancelled.
    /// @param signer The signer.
    /// @param nonce The nonce.
    /// @return True if the nonce can no longer be used.
    function isNonceUsed(address signer, uint256 nonce) external view returns (bool) {
        return nonceBitmap[signer][nonce >> 8] & (1 << (nonce & 0xff)) != 0;
    }

    /// @dev No event of its own: the Granted/Revoked event of the same call records the use, and a
    ///      second LOG would cost ~1.4k gas on the budgeted grantBySig path. isNonceUsed shows it.
    function _useNonce(address signer, uint256 nonce) internal {
        uint256 bit = 1 << (nonce & 0xff);
        uint256 flipped = nonceBitmap[signer][nonce >> 8] ^= bit;
        if (flipped & bit == 0) revert NonceAlreadyUsed(signer, nonce);
    }

    function _cancel(address signer, uint256 wordPos, uint256 mask) private {
        if (mask == 0) revert EmptyMask();
        nonceBitmap[signer][wordPos] |= mask;
        emit NoncesCancelled(signer, wordPos, mask);
    }
}
