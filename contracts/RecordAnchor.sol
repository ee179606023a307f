// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IConsentRegistry} from "./interfaces/IConsentRegistry.sol";
import {Scopes} from "./Scopes.sol";
import {SignatureChecks} from "./SignatureChecks.sol";

/// @title RecordAnchor
/// @notice Anchors Merkle roots of record batches per patient and proves a record's inclusion.
/// @dev Trees are OpenZeppelin StandardMerkleTree over leaves `[bytes32 contentHash]`: leaf =
///      keccak256(bytes.concat(keccak256(abi.encode(contentHash)))), sorted-pair hashing. Anchoring is
///      O(1) in the batch size: one slot per (patient, root); the count travels in the event only.
///      Signed anchoring (anchorBySig) needs no nonce: a (patient, root) can be anchored once, so a
///      replayed signature reverts with AlreadyAnchored, and a nonce word would cost 5-22k gas on a
///      path budgeted at 52k (contracts/README.md).
contract RecordAnchor is EIP712, SignatureChecks {
    bytes32 internal constant ANCHOR_TYPEHASH =
        keccak256("Anchor(address patient,bytes32 root,uint256 count,uint256 deadline)");

    /// @dev 160 + 64 bits: one slot.
    struct AnchorInfo {
        address anchorer;
        uint64 anchoredAt;
    }

    /// @notice The consent registry consulted for the WRITE scope (anchorFor).
    IConsentRegistry public immutable consent;

    mapping(address patient => mapping(bytes32 root => AnchorInfo)) private _anchors;

    event Anchored(address indexed patient, bytes32 indexed root, address anchorer, uint256 count);

    error InvalidRoot();
    error InvalidCount();
    error AlreadyAnchored(address patient, bytes32 root);
    error NoWriteAccess(address patient, address caller);

    /// @param consent_ The consent registry that decides who may anchor for a patient.
    constructor(IConsentRegistry consent_) EIP712("SecureMed Anchor", "1") {
        consent = consent_;
    }

    /// @notice Anchor a batch of the caller's own records.
    /// @param root The batch's StandardMerkleTree root.
    /// @param count Number of records in the batch (emitted, not stored).
    function anchor(bytes32 root, uint256 count) external {
        _anchor(msg.sender, root, count, msg.sender);
    }

    /// @notice Submit an anchoring signed by `patient` (EIP-712 `Anchor`); anyone may relay it and pay
    ///         gas. The patient, not the relayer, is recorded as the anchorer.
    /// @param patient The signer, whose records the batch holds.
    /// @param root The batch's StandardMerkleTree root.
    /// @param count Number of records in the batch.
    /// @param deadline Last second at which the signature is accepted.
    /// @param r Signature by `patient`, EIP-2098 compact form: r.
    /// @param vs Signature by `patient`, EIP-2098 compact form: s with the y-parity in the top bit.
    function anchorBySig(address patient, bytes32 root, uint256 count, uint256 deadline, bytes32 r, bytes32 vs)
        external
    {
        bytes32 typehash = ANCHOR_TYPEHASH;
        bytes32 structHash;
        assembly ("memory-safe") {
            // keccak256(abi.encode(ANCHOR_TYPEHASH, patient, root, count, deadline)) without allocating.
            let m := mload(0x40)
            mstore(m, typehash)
            mstore(add(m, 0x20), patient)
            mstore(add(m, 0x40), root)
            mstore(add(m, 0x60), count)
            mstore(add(m, 0x80), deadline)
            structHash := keccak256(m, 0xa0)
        }
        _checkSignature(patient, structHash, deadline, r, vs);
        _anchor(patient, root, count, patient);
    }

    /// @notice Anchor a batch for `patient`; the caller needs a live grant with the WRITE bit.
    /// @param patient Whose records the batch holds.
    /// @param root The batch's StandardMerkleTree root.
    /// @param count Number of records in the batch.
    function anchorFor(address patient, bytes32 root, uint256 count) external {
        // A view call to the immutable registry: a check, before any effect.
        if (!consent.hasAccess(patient, msg.sender, Scopes.WRITE)) revert NoWriteAccess(patient, msg.sender);
        _anchor(patient, root, count, msg.sender);
    }

    /// @notice Who anchored the batch containing `leaf` for `patient`, and when.
    /// @param patient The records' owner.
    /// @param leaf The record's content hash (the tree value; hashed here as a standard leaf).
    /// @param proof The StandardMerkleTree proof of the leaf.
    /// @return anchorer The anchoring address (zero if the computed root was never anchored).
    /// @return anchoredAt The anchoring block time (zero if unknown).
    function verify(address patient, bytes32 leaf, bytes32[] calldata proof)
        external
        view
        returns (address anchorer, uint64 anchoredAt)
    {
        bytes32 leafHash = keccak256(bytes.concat(keccak256(abi.encode(leaf))));
        AnchorInfo storage a = _anchors[patient][MerkleProof.processProofCalldata(proof, leafHash)];
        return (a.anchorer, a.anchoredAt);
    }

    /// @notice The anchoring record of `root` for `patient`.
    /// @param patient The records' owner.
    /// @param root A batch root.
    /// @return anchorer Who anchored it (zero if never).
    /// @return anchoredAt When.
    function anchorOf(address patient, bytes32 root) external view returns (address anchorer, uint64 anchoredAt) {
        AnchorInfo storage a = _anchors[patient][root];
        return (a.anchorer, a.anchoredAt);
    }

    function _anchor(address patient, bytes32 root, uint256 count, address anchorer) private {
        if (root == bytes32(0)) revert InvalidRoot();
        if (count == 0) revert InvalidCount();
        AnchorInfo storage a = _anchors[patient][root];
        // First anchoring wins: re-anchoring cannot re-date or re-attribute a batch.
        if (a.anchorer != address(0)) revert AlreadyAnchored(patient, root);
        a.anchorer = anchorer;
        a.anchoredAt = uint64(block.timestamp);
        emit Anchored(patient, root, anchorer, count);
    }

    function _hashTypedData(bytes32 structHash) internal view override returns (bytes32) {
        return _hashTypedDataV4(structHash);
    }
}
