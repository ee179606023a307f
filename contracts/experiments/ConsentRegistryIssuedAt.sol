// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IConsentRegistry} from "../interfaces/IConsentRegistry.sol";
import {IProviderDirectory} from "../interfaces/IProviderDirectory.sol";
import {Scopes} from "../Scopes.sol";
import {UnorderedNonces} from "../UnorderedNonces.sol";

/// @title ConsentRegistry
/// @notice Patient-controlled, expiring access grants (scope bitmasks), signed consent that a relayer
///         submits, access requests, and evented break-glass access.
/// @dev One storage slot per (patient, grantee) holds the grant and any break-glass window.
///      Purposes and break-glass reasons are salted hashes carried only in events, never stored.
/// @notice EXPERIMENT (gas comparison only, never deployed): stale signatures by issued-at.
contract ConsentRegistryIssuedAt is EIP712, UnorderedNonces, IConsentRegistry {
    /// @notice How long one break-glass opening lasts.
    uint64 public constant BREAK_GLASS_DURATION = 4 hours;

    bytes32 internal constant GRANT_TYPEHASH = keccak256(
        "Grant(address patient,address grantee,uint32 scopes,uint64 expiresAt,bytes32 purpose,uint64 issuedAt,uint256 nonce,uint256 deadline)"
    );
    bytes32 internal constant REVOKE_TYPEHASH =
        keccak256("Revoke(address patient,address grantee,uint64 issuedAt,uint256 nonce,uint256 deadline)");

    /// @notice A grant slot, unpacked (grantOf). Stored packed in one uint256: bits 0-31 scopes,
    ///         32-95 expiresAt, 96-159 grantedAt, 160-223 emergencyUntil. emergencyUntil sits beside
    ///         the grant so break-glass never overwrites (or widens) what the patient granted, and
    ///         one revoke ends both.
    struct Grant {
        uint32 scopes;
        uint64 expiresAt;
        uint64 grantedAt;
        uint64 emergencyUntil;
    }

    uint256 private constant _EMERGENCY_SHIFT = 160;

    /// @notice The directory consulted for verified providers (break-glass).
    IProviderDirectory public immutable directory;

    mapping(address patient => mapping(address grantee => uint256 packedGrant)) private _grants;
    mapping(address patient => mapping(address delegate => bool)) private _delegates;

    event Granted(
        address indexed patient, address indexed grantee, uint32 scopes, uint64 expiresAt, bytes32 purpose
    );
    event Revoked(address indexed patient, address indexed grantee);
    event AccessRequested(address indexed patient, address indexed requester, uint32 scopes, bytes32 purpose);
    event EmergencyDelegateSet(address indexed patient, address indexed delegate, bool allowed);
    event BreakGlass(
        address indexed patient, address indexed accessor, bytes32 reasonHash, uint64 until, bool asDelegate
    );

    error InvalidPatient();
    error InvalidGrantee();
    error InvalidScopes(uint32 scopes);
    error ExpiryNotInFuture(uint64 expiresAt);
    error NoGrant(address patient, address grantee);
    error InvalidReason();
    error NotEmergencyAccessor(address caller);

    /// @param directory_ The provider directory whose verified providers may break glass.
    constructor(IProviderDirectory directory_) EIP712("SecureMed Consent", "1") {
        directory = directory_;
    }

    // ---------------------------------------------------------------- grants

    /// @notice Grant (or replace) `grantee`'s access to the caller's records.
    /// @param grantee Who receives access.
    /// @param scopes Category bits (+ WRITE); see Scopes.sol. Sensitive bits only when named.
    /// @param expiresAt Unix seconds when access ends (exclusive); must be in the future.
    /// @param purpose Salted hash or code of the purpose of use; emitted, not stored.
    function grant(address grantee, uint32 scopes, uint64 expiresAt, bytes32 purpose) external {
        _grant(msg.sender, grantee, scopes, expiresAt, purpose, type(uint256).max);
    }

    /// @notice Submit a grant signed by `patient` (EIP-712 `Grant`); anyone may relay it and pay gas.
    /// @param patient The signer and owner of the records.
    /// @param grantee Who receives access.
    /// @param scopes Category bits (+ WRITE).
    /// @param expiresAt When access ends.
    /// @param purpose Salted purpose hash, emitted.
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
        uint64 issuedAt,
        uint256 nonce,
        uint256 deadline,
        bytes32 r,
        bytes32 vs
    ) external {
        bytes32 structHash = _grantStructHash(patient, grantee, scopes, expiresAt, purpose, issuedAt, nonce, deadline);
        _checkSignature(patient, structHash, deadline, r, vs);
        _useNonce(patient, nonce);
        _grant(patient, grantee, scopes, expiresAt, purpose, issuedAt);
    }

    /// @notice Revoke `grantee`'s access (grant and any open break-glass window) at once.
    /// @param grantee Whose access ends.
    function revoke(address grantee) external {
        _revoke(msg.sender, grantee, type(uint256).max);
    }

    /// @notice Submit a revocation signed by `patient` (EIP-712 `Revoke`).
    /// @param patient The signer.
    /// @param grantee Whose access ends.
    /// @param nonce An unused nonce of `patient`.
    /// @param deadline Last second at which the signature is accepted.
    /// @param r Signature by `patient`, EIP-2098 compact form: r.
    /// @param vs Signature by `patient`, EIP-2098 compact form: s with the y-parity in the top bit.
    function revokeBySig(address patient, address grantee, uint64 issuedAt, uint256 nonce, uint256 deadline, bytes32 r, bytes32 vs)
        external
    {
        bytes32 structHash = keccak256(abi.encode(REVOKE_TYPEHASH, patient, grantee, issuedAt, nonce, deadline));
        _checkSignature(patient, structHash, deadline, r, vs);
        _useNonce(patient, nonce);
        _revoke(patient, grantee, issuedAt);
    }

    /// @notice Ask `patient` for access (event only: the patient's wallet shows it).
    /// @param patient Whose records are requested.
    /// @param scopes Requested category bits (+ WRITE).
    /// @param purpose Salted purpose hash.
    function requestAccess(address patient, uint32 scopes, bytes32 purpose) external {
        if (patient == address(0) || patient == msg.sender) revert InvalidPatient();
        _checkScopes(scopes);
        emit AccessRequested(patient, msg.sender, scopes, purpose);
    }

    // ---------------------------------------------------------------- break-glass

    /// @notice Name (or remove) an emergency delegate who may break glass on the caller's records.
    /// @param delegate The delegate's address.
    /// @param allowed True to name, false to remove.
    function setEmergencyDelegate(address delegate, bool allowed) external {
        if (delegate == address(0) || delegate == msg.sender) revert InvalidGrantee();
        _delegates[msg.sender][delegate] = allowed;
        emit EmergencyDelegateSet(msg.sender, delegate, allowed);
    }

    /// @notice Open emergency read access to `patient`'s standard (non-sensitive) categories for
    ///         BREAK_GLASS_DURATION. Allowed for the patient's emergency delegates and for verified
    ///         providers; always emits BreakGlass, so the patient sees every opening.
    /// @param patient Whose records are opened.
    /// @param reasonHash Salted hash of the documented emergency reason (non-zero).
    function breakGlass(address patient, bytes32 reasonHash) external {
        if (patient == address(0) || patient == msg.sender) revert InvalidPatient();
        if (reasonHash == bytes32(0)) revert InvalidReason();
        bool asDelegate = _delegates[patient][msg.sender];
        // A view call to the immutable directory: a check, before any effect.
        if (!asDelegate && !directory.isVerifiedProvider(msg.sender)) revert NotEmergencyAccessor(msg.sender);
        uint64 until = uint64(block.timestamp) + BREAK_GLASS_DURATION;
        uint256 slot = _grants[patient][msg.sender];
        _grants[patient][msg.sender] =
            (slot & ~(uint256(type(uint64).max) << _EMERGENCY_SHIFT)) | (uint256(until) << _EMERGENCY_SHIFT);
        emit BreakGlass(patient, msg.sender, reasonHash, until, asDelegate);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IConsentRegistry
    /// @dev Expired grants and closed break-glass windows give nothing; an empty scope gives false.
    function hasAccess(address patient, address grantee, uint32 scope) external view returns (bool) {
        if (scope == 0) return false;
        return _effectiveScopes(_grants[patient][grantee]) & scope == scope;
    }

    /// @notice The scope bits `grantee` holds now for `patient` (grant and break-glass combined).
    /// @param patient The records' owner.
    /// @param grantee The grantee.
    /// @return The effective scope bits.
    function effectiveScopes(address patient, address grantee) external view returns (uint32) {
        return _effectiveScopes(_grants[patient][grantee]);
    }

    /// @notice The raw stored grant (including expired values) for `patient` and `grantee`.
    /// @param patient The records' owner.
    /// @param grantee The grantee.
    /// @return The stored grant slot.
    function grantOf(address patient, address grantee) external view returns (Grant memory) {
        uint256 slot = _grants[patient][grantee];
        return Grant(uint32(slot), uint64(slot >> 32), uint64(slot >> 96), uint64(slot >> _EMERGENCY_SHIFT));
    }

    /// @notice Whether `delegate` is one of `patient`'s emergency delegates.
    /// @param patient The patient.
    /// @param delegate The candidate delegate.
    /// @return True if named.
    function isEmergencyDelegate(address patient, address delegate) external view returns (bool) {
        return _delegates[patient][delegate];
    }

    // ---------------------------------------------------------------- internals

    /// @dev The budgeted hot path of grant and grantBySig, with every check of the plain Solidity
    ///      version. All argument checks are folded into one branch on the success path; only a
    ///      failing call pays for finding out which check failed (_revertInvalidGrant: same order,
    ///      same custom errors and arguments as before). The slot, the packing and the event are
    ///      written in assembly: via-IR computed the mapping slot twice (once for the SLOAD, once for
    ///      the SSTORE) and would allocate memory for the event. The arguments come straight from the
    ///      ABI decoder of the external functions (which rejects dirty high bits) or from msg.sender,
    ///      so they are clean and need no masking.
    error StaleSignature(uint256 issuedAt, uint256 changedAt);

    function _grant(address patient, address grantee, uint32 scopes, uint64 expiresAt, bytes32 purpose, uint256 issuedAt) private {
        uint256 notScopes = ~uint256(Scopes.ALL);
        bool bad;
        assembly ("memory-safe") {
            // grantee == 0 || grantee == patient || scopes == 0 || scopes & ~ALL != 0
            //   || expiresAt <= block.timestamp
            bad := or(
                or(iszero(grantee), eq(grantee, patient)),
                or(or(iszero(scopes), and(scopes, notScopes)), iszero(gt(expiresAt, timestamp())))
            )
        }
        if (bad) _revertInvalidGrant(patient, grantee, scopes, expiresAt);
        bytes32 granted = Granted.selector;
        assembly ("memory-safe") {
            // slot of _grants[patient][grantee] = keccak256(grantee . keccak256(patient . _grants.slot))
            mstore(0x00, patient)
            mstore(0x20, _grants.slot)
            mstore(0x20, keccak256(0x00, 0x40))
            mstore(0x00, grantee)
            let slot := keccak256(0x00, 0x40)
            let old := sload(slot)
            // issuedAt must be no older than the pair's last change (grantedAt doubles as changedAt)
            if and(iszero(eq(issuedAt, not(0))), or(lt(issuedAt, and(shr(96, old), 0xffffffffffffffff)), gt(issuedAt, timestamp()))) {
                mstore(0x00, 0x1234567800000000000000000000000000000000000000000000000000000000)
                revert(0x00, 0x04)
            }
            // One read and one write of the slot; the break-glass window (bits 160-223) is kept:
            // scopes | expiresAt << 32 | uint64(block.timestamp) << 96 | (old >> 160) << 160
            sstore(
                slot,
                or(
                    or(scopes, shl(32, expiresAt)),
                    or(shl(96, and(timestamp(), 0xffffffffffffffff)), shl(160, shr(160, old)))
                )
            )
            // emit Granted(patient, grantee, scopes, expiresAt, purpose): the three data words in
            // 0x00-0x5f, so no memory expansion. 0x40 holds the free memory pointer: saved and
            // restored right after the LOG (nothing runs in between).
            let fmp := mload(0x40)
            mstore(0x00, scopes)
            mstore(0x20, expiresAt)
            mstore(0x40, purpose)
            log3(0x00, 0x60, granted, patient, grantee)
            mstore(0x40, fmp)
        }
    }

    /// @dev The cold path of _grant, reached only when one of its checks failed: reverts with the
    ///      error of the first failing check, in the original order (grantee, scopes, expiry).
    function _revertInvalidGrant(address patient, address grantee, uint32 scopes, uint64 expiresAt) private view {
        if (grantee == address(0) || grantee == patient) revert InvalidGrantee();
        _checkScopes(scopes);
        if (expiresAt <= block.timestamp) revert ExpiryNotInFuture(expiresAt);
        assert(false); // unreachable: the folded condition in _grant is the OR of the checks above
    }

    function _revoke(address patient, address grantee, uint256 issuedAt) private {
        uint256 old = _grants[patient][grantee];
        if (uint32(old) == 0 && (old >> 160) == 0) revert NoGrant(patient, grantee);
        uint256 changedAt = uint64(old >> 96);
        if (issuedAt != type(uint256).max && (issuedAt < changedAt || issuedAt > block.timestamp)) revert StaleSignature(issuedAt, changedAt);
        _grants[patient][grantee] = uint256(uint64(block.timestamp)) << 96; // tombstone: changedAt
        emit Revoked(patient, grantee);
    }

    /// @dev keccak256(abi.encode(GRANT_TYPEHASH, patient, grantee, scopes, expiresAt, purpose, nonce,
    ///      deadline)) in scratch memory past the free pointer, without allocating: this path has a gas
    ///      budget. The arguments are already ABI-validated (clean high bits). Tests check it against
    ///      ethers' TypedDataEncoder through real signatures.
    function _grantStructHash(
        address patient,
        address grantee,
        uint32 scopes,
        uint64 expiresAt,
        bytes32 purpose,
        uint64 issuedAt,
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
            mstore(add(m, 0xc0), issuedAt)
            mstore(add(m, 0xe0), nonce)
            mstore(add(m, 0x100), deadline)
            h := keccak256(m, 0x120)
        }
    }

    function _checkScopes(uint32 scopes) private pure {
        if (scopes == 0 || scopes & ~Scopes.ALL != 0) revert InvalidScopes(scopes);
    }

    function _effectiveScopes(uint256 slot) private view returns (uint32 scopes) {
        if (uint64(slot >> 32) > block.timestamp) scopes = uint32(slot);
        if (uint64(slot >> _EMERGENCY_SHIFT) > block.timestamp) scopes |= Scopes.STANDARD;
    }

    function _hashTypedData(bytes32 structHash) internal view override returns (bytes32) {
        return _hashTypedDataV4(structHash);
    }
}
