// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title SignatureChecks
/// @notice Deadline and signer checks shared by every EIP-712 signed action of the SecureMed contracts.
/// @dev Only EOAs sign: patients' accounts are keys derived from their recovery phrase, and an
///      ERC-1271 probe would cost a cold account access on budgeted paths. Signatures are EIP-2098
///      compact `(r, vs)`. Replay protection is the inheriting contract's business: bitmap nonces
///      (UnorderedNonces) or a state that can be reached only once (RecordAnchor's first-wins roots).
abstract contract SignatureChecks {
    error SignatureExpired(uint256 deadline);
    error InvalidSigner(address recovered, address expected);

    /// @dev The EIP-712 digest of `structHash` under the inheriting contract's domain.
    function _hashTypedData(bytes32 structHash) internal view virtual returns (bytes32);

    /// @dev Deadline first (cheap, inclusive, block time), then ecrecover.
    function _checkSignature(address signer, bytes32 structHash, uint256 deadline, bytes32 r, bytes32 vs)
        internal
        view
    {
        if (block.timestamp > deadline) revert SignatureExpired(deadline);
        // tryRecover rejects malleable (high-s) signatures and yields address(0) on failure.
        (address recovered,,) = ECDSA.tryRecover(_hashTypedData(structHash), r, vs);
        if (recovered != signer || recovered == address(0)) revert InvalidSigner(recovered, signer);
    }
}
