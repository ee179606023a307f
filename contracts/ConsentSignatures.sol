// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {UnorderedNonces} from "./UnorderedNonces.sol";

/// @title ConsentSignatures
/// @notice The EIP-712 signed variants of ConsentRegistry's patient actions: a patient signs, anyone
///         relays and pays gas. Each checks the deadline and signer, uses the patient's nonce, then
///         applies the same internal action as the direct call (grant, revoke, emergency delegate),
///         which checks the pair's epoch.
/// @dev No storage of its own (the nonce bitmap is UnorderedNonces'), so ConsentRegistry's layout is
///      EIP712's fallback strings, the nonce bitmap, then the grants, as before this split.
abstract contract ConsentSignatures is EIP712, UnorderedNonces {
    bytes32 internal constant GRANT_TYPEHASH = keccak256(
        "Grant(address patient,address grantee,uint32 scopes,uint64 expiresAt,bytes32 purpose,uint32 epoch,uint256 nonce,uint256 deadline)"
    );
    bytes32 internal constant REVOKE_TYPEHASH =
        keccak256("Revoke(address patient,address grantee,uint32 epoch,uint256 nonce,uint256 deadline)");
    bytes32 internal constant DELEGATE_TYPEHASH = keccak256(
        "EmergencyDelegate(address patient,address delegate,bool allowed,uint32 epoch,uint256 nonce,uint256 deadline)"
    );

    /// @param name EIP-712 domain name.
    /// @param version EIP-712 domain version.
    constructor(string memory name, string memory version) EIP712(name, version) {}

    /// @notice Submit a grant signed by `patient` (EIP-712 `Grant`); anyone may relay it and pay gas.
    /// @param patient The signer and owner of the records.
    /// @param grantee Who receives access.
    /// @param scopes Category bits (+ WRITE).
    /// @param expiresAt When access ends.
    /// @param purpose Salted purpose hash, emitted.
    /// @param epoch The pair's epoch when signed (grantOf(patient, grantee).epoch); any later change
    ///        to the pair makes the signature stale.
    /// @param nonce An unused nonce of `patient` (bitmap: any order).
    /// @param deadline Last second at which the signature is accepted.
    /// @param r Signature by `patient`, EIP-2098 compact form: r.
    /// @param vs Signature by `patient`, EIP-2098 compact form: s with the y-parity in the top bit.
    function grantBySig(
        address patient,
        address grantee,
        uint32 scopes,
        uint64 expiresAt,
        bytes32 purpose,
        uint32 epoch,
        uint256 nonce,
        uint256 deadline,
        bytes32 r,
        bytes32 vs
    ) external {
        bytes32 structHash = _grantStructHash(patient, grantee, scopes, expiresAt, purpose, epoch, nonce, deadline);
        _checkSignature(patient, structHash, deadline, r, vs);
        _useNonce(patient, nonce);
        _grant(patient, grantee, scopes, expiresAt, purpose, epoch);
    }

    /// @notice Submit a revocation signed by `patient` (EIP-712 `Revoke`).
    /// @param patient The signer.
    /// @param grantee Whose access ends.
    /// @param epoch The pair's epoch when signed.
    /// @param nonce An unused nonce of `patient`.
    /// @param deadline Last second at which the signature is accepted.
    /// @param r Signature by `patient`, EIP-2098 compact form: r.
    /// @param vs Signature by `patient`, EIP-2098 compact form: s with the y-parity in the top bit.
    function revokeBySig(
        address patient,
        address grantee,
        uint32 epoch,
        uint256 nonce,
        uint256 deadline,
        bytes32 r,
        bytes32 vs
    ) external {
        bytes32 structHash = keccak256(abi.encode(REVOKE_TYPEHASH, patient, grantee, epoch, nonce, deadline));
        _checkSignature(patient, structHash, deadline, r, vs);
        _useNonce(patient, nonce);
        _revoke(patient, grantee, epoch);
    }

    /// @notice Submit an emergency-delegate change signed by `patient` (EIP-712 `EmergencyDelegate`).
    /// @param patient The signer.
    /// @param delegate The delegate's address.
    /// @param allowed True to name, false to remove.
    /// @param epoch The (patient, delegate) pair's epoch when signed.
    /// @param nonce An unused nonce of `patient`.
    /// @param deadline Last second at which the signature is accepted.
    /// @param r Signature by `patient`, EIP-2098 compact form: r.
    /// @param vs Signature by `patient`, EIP-2098 compact form: s with the y-parity in the top bit.
    function setEmergencyDelegateBySig(
        address patient,
        address delegate,
        bool allowed,
        uint32 epoch,
        uint256 nonce,
        uint256 deadline,
        bytes32 r,
        bytes32 vs
    ) external {
        bytes32 structHash =
            keccak256(abi.encode(DELEGATE_TYPEHASH, patient, delegate, allowed, epoch, nonce, deadline));
        _checkSignature(patient, structHash, deadline, r, vs);
        _useNonce(patient, nonce);
        _setDelegate(patient, delegate, allowed, epoch);
    }

    /// @dev Stores a grant for `patient`; `signedEpoch` is the epoch the signature named.
    function _grant(
        address patient,
        address grantee,
        uint32 scopes,
        uint64 expiresAt,
        bytes32 purpose,
        uint256 signedEpoch
    ) internal virtual;

    /// @dev Ends `grantee`'s access to `patient`'s records.
    function _revoke(address patient, address grantee, uint256 signedEpoch) internal virtual;

    /// @dev Names or removes an emergency delegate of `patient`.
    function _setDelegate(address patient, address delegate, bool allowed, uint256 signedEpoch) internal virtual;

    /// @dev keccak256(abi.encode(GRANT_TYPEHASH, patient, grantee, scopes, expiresAt, purpose, epoch,
    ///      nonce, deadline)) in scratch memory past the free pointer, without allocating: this path has
    ///      a gas budget. The arguments are already ABI-validated (clean high bits). Tests check it
    ///      against ethers' TypedDataEncoder through real signatures.
    function _grantStructHash(
        address patient,
        address grantee,
        uint32 scopes,
        uint64 expiresAt,
        bytes32 purpose,
        uint32 epoch,
        uint256 nonce,
        uint256 deadline
    ) private pure returns (bytes32 h) {
        bytes32 typehash = GRANT_TYPEHASH;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, typehash)
            mstore(add(m, 0x20), patient)
            mstore(add(m, 0x40), grantee)
            mstore(add(m, 0x60), scopes)
            mstore(add(m, 0x80), expiresAt)
            mstore(add(m, 0xa0), purpose)
            mstore(add(m, 0xc0), epoch)
            mstore(add(m, 0xe0), nonce)
            mstore(add(m, 0x100), deadline)
            h := keccak256(m, 0x120)
        }
    }

    function _hashTypedData(bytes32 structHash) internal view override returns (bytes32) {
        return _hashTypedDataV4(structHash);
    }
}
