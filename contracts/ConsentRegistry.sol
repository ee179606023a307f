// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ConsentSignatures} from "./ConsentSignatures.sol";
import {IConsentRegistry} from "./interfaces/IConsentRegistry.sol";
import {IProviderDirectory} from "./interfaces/IProviderDirectory.sol";
import {Scopes} from "./Scopes.sol";

/// @title ConsentRegistry
/// @notice Patient-controlled, expiring access grants (scope bitmasks), signed consent that a relayer
///         submits, access requests, and evented break-glass access.
/// @dev One storage slot per (patient, grantee) pair holds the grant, any break-glass window, the
///      emergency-delegate flag and the pair's epoch. Every patient change to a pair (grant, revoke,
///      delegate) bumps its epoch, and every signed pair action names the epoch it was signed against:
///      a signature that was never submitted dies as soon as anything newer happens to that pair.
///      Purposes and break-glass reasons are salted hashes carried only in events, never stored.
contract ConsentRegistry is ConsentSignatures, IConsentRegistry {
    /// @notice How long one break-glass opening lasts.
    uint64 public constant BREAK_GLASS_DURATION = 4 hours;
    /// @notice The longest a grant may last, from the block that stores it.
    uint64 public constant MAX_GRANT_DURATION = 365 days;

    /// @notice A pair slot, unpacked (grantOf). Stored packed in one uint256: bits 0-31 scopes,
    ///         32-95 expiresAt, 96-159 grantedAt, 160-223 emergencyUntil, 224 emergency delegate,
    ///         225-255 epoch. emergencyUntil sits beside the grant so break-glass never overwrites (or
    ///         widens) what the patient granted, and one revoke ends both. The epoch counts the
    ///         patient's changes to the pair (31 bits; wrapping would take 2^31 transactions).
    struct Grant {
        uint32 scopes;
        uint64 expiresAt;
        uint64 grantedAt;
        uint64 emergencyUntil;
        bool emergencyDelegate;
        uint32 epoch;
    }

    uint256 private constant _EMERGENCY_SHIFT = 160;
    uint256 private constant _DELEGATE_BIT = 1 << 224;
    uint256 private constant _EPOCH_SHIFT = 225;
    /// @dev Adding this to a slot increments its epoch (mod 2^31: the carry leaves the word).
    uint256 private constant _EPOCH_ONE = 1 << 225;
    /// @dev Passed as the signed epoch by the direct (msg.sender) paths: no epoch to check.
    uint256 private constant _ANY_EPOCH = type(uint256).max;

    /// @notice The directory consulted for verified providers (break-glass).
    IProviderDirectory public immutable directory;

    mapping(address patient => mapping(address grantee => uint256 packedGrant)) private _grants;

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
    error GrantTooLong(uint64 expiresAt, uint64 latestExpiry);
    error StaleEpoch(address patient, address grantee, uint32 signedEpoch, uint32 currentEpoch);
    error NoGrant(address patient, address grantee);
    error InvalidReason();
    error NotEmergencyAccessor(address caller);

    /// @param directory_ The provider directory whose verified providers may break glass.
    constructor(IProviderDirectory directory_) ConsentSignatures("SecureMed Consent", "1") {
        directory = directory_;
    }

    // ---------------------------------------------------------------- grants

    /// @notice Grant (or replace) `grantee`'s access to the caller's records.
    /// @param grantee Who receives access.
    /// @param scopes Category bits (+ WRITE); see Scopes.sol. Sensitive bits only when named.
    /// @param expiresAt Unix seconds when access ends (exclusive); in the future, at most
    ///        MAX_GRANT_DURATION after the current block.
    /// @param purpose Salted hash or code of the purpose of use; emitted, not stored.
    function grant(address grantee, uint32 scopes, uint64 expiresAt, bytes32 purpose) external {
        _grant(msg.sender, grantee, scopes, expiresAt, purpose, _ANY_EPOCH);
    }

    /// @notice Revoke `grantee`'s access (grant and any open break-glass window) at once.
    /// @param grantee Whose access ends.
    function revoke(address grantee) external {
        _revoke(msg.sender, grantee, _ANY_EPOCH);
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
        _setDelegate(msg.sender, delegate, allowed, _ANY_EPOCH);
    }

    /// @notice Open emergency read access to `patient`'s standard (non-sensitive) categories for
    ///         BREAK_GLASS_DURATION. Allowed for the patient's emergency delegates and for verified
    ///         providers; always emits BreakGlass, so the patient sees every opening.
    /// @param patient Whose records are opened.
    /// @param reasonHash Salted hash of the documented emergency reason (non-zero).
    function breakGlass(address patient, bytes32 reasonHash) external {
        if (patient == address(0) || patient == msg.sender) revert InvalidPatient();
        if (reasonHash == bytes32(0)) revert InvalidReason();
        uint256 slot = _grants[patient][msg.sender];
        bool asDelegate = slot & _DELEGATE_BIT != 0;
        // A view call to the immutable directory: a check, before any effect.
        if (!asDelegate && !directory.isVerifiedProvider(msg.sender)) revert NotEmergencyAccessor(msg.sender);
        uint64 until = uint64(block.timestamp) + BREAK_GLASS_DURATION;
        // Not a patient action: the epoch stays, so break-glass never invalidates the patient's signatures.
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

    /// @notice The raw stored pair (including expired values) for `patient` and `grantee`; `epoch` is
    ///         what the next signed grant, revoke or delegate change of this pair must name.
    /// @param patient The records' owner.
    /// @param grantee The grantee.
    /// @return The stored pair slot, unpacked.
    function grantOf(address patient, address grantee) external view returns (Grant memory) {
        uint256 slot = _grants[patient][grantee];
        return Grant(
            uint32(slot),
            uint64(slot >> 32),
            uint64(slot >> 96),
            uint64(slot >> _EMERGENCY_SHIFT),
            slot & _DELEGATE_BIT != 0,
            uint32(slot >> _EPOCH_SHIFT)
        );
    }

    /// @notice Whether `delegate` is one of `patient`'s emergency delegates.
    /// @param patient The patient.
    /// @param delegate The candidate delegate.
    /// @return True if named.
    function isEmergencyDelegate(address patient, address delegate) external view returns (bool) {
        return _grants[patient][delegate] & _DELEGATE_BIT != 0;
    }

    // ---------------------------------------------------------------- internals

    /// @dev The budgeted hot path of grant and grantBySig, with every check of the plain Solidity
    ///      version. All argument checks are folded into one branch on the success path; only a
    ///      failing call pays for finding out which check failed (_revertInvalidGrant: same order,
    ///      same custom errors and arguments). The slot, the packing and the event are written in
    ///      assembly: via-IR computed the mapping slot twice (once for the SLOAD, once for the SSTORE)
    ///      and would allocate memory for the event. The arguments come straight from the ABI decoder
    ///      of the external functions (which rejects dirty high bits) or from msg.sender, so they are
    ///      clean and need no masking. `signedEpoch` is _ANY_EPOCH on the direct path.
    function _grant(
        address patient,
        address grantee,
        uint32 scopes,
        uint64 expiresAt,
        bytes32 purpose,
        uint256 signedEpoch
    ) internal override {
        uint256 notScopes = ~uint256(Scopes.ALL);
        uint256 maxDuration = MAX_GRANT_DURATION;
        bool bad;
        assembly ("memory-safe") {
            // grantee == 0 || grantee == patient || scopes == 0 || scopes & ~ALL != 0
            //   || expiresAt <= block.timestamp || expiresAt > block.timestamp + MAX_GRANT_DURATION
            bad := or(
                or(iszero(grantee), eq(grantee, patient)),
                or(
                    or(iszero(scopes), and(scopes, notScopes)),
                    or(iszero(gt(expiresAt, timestamp())), gt(expiresAt, add(timestamp(), maxDuration)))
                )
            )
        }
        if (bad) _revertInvalidGrant(patient, grantee, scopes, expiresAt);
        uint256 slot;
        uint256 old;
        assembly ("memory-safe") {
            // slot of _grants[patient][grantee] = keccak256(grantee . keccak256(patient . _grants.slot))
            mstore(0x00, patient)
            mstore(0x20, _grants.slot)
            mstore(0x20, keccak256(0x00, 0x40))
            mstore(0x00, grantee)
            slot := keccak256(0x00, 0x40)
            old := sload(slot)
            bad := and(iszero(eq(signedEpoch, not(0))), iszero(eq(signedEpoch, shr(_EPOCH_SHIFT, old))))
        }
        if (bad) revert StaleEpoch(patient, grantee, uint32(signedEpoch), uint32(old >> _EPOCH_SHIFT));
        bytes32 granted = Granted.selector;
        assembly ("memory-safe") {
            // One write of the slot; break-glass window and delegate bit are kept, the epoch grows:
            // scopes | expiresAt << 32 | uint64(block.timestamp) << 96 | ((old >> 160) << 160) + 1 << 225
            sstore(
                slot,
                or(
                    or(scopes, shl(32, expiresAt)),
                    or(shl(96, and(timestamp(), 0xffffffffffffffff)), add(shl(160, shr(160, old)), _EPOCH_ONE))
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
    ///      error of the first failing check, in order (grantee, scopes, expiry, duration cap).
    function _revertInvalidGrant(address patient, address grantee, uint32 scopes, uint64 expiresAt) private view {
        if (grantee == address(0) || grantee == patient) revert InvalidGrantee();
        _checkScopes(scopes);
        if (expiresAt <= block.timestamp) revert ExpiryNotInFuture(expiresAt);
        uint64 latest = uint64(block.timestamp) + MAX_GRANT_DURATION;
        if (expiresAt > latest) revert GrantTooLong(expiresAt, latest);
        assert(false); // unreachable: the folded condition in _grant is the OR of the checks above
    }

    /// @dev Ends the grant and any break-glass window. The slot keeps a tombstone (delegate bit and
    ///      the bumped epoch) instead of being deleted: deleting would reset the epoch to 0 and revive
    ///      every signature made against epoch 0. "Nothing to revoke" = nothing below bit 224.
    function _revoke(address patient, address grantee, uint256 signedEpoch) internal override {
        uint256 old = _grants[patient][grantee];
        if (uint224(old) == 0) revert NoGrant(patient, grantee);
        _checkEpoch(patient, grantee, old, signedEpoch);
        _grants[patient][grantee] = ((old >> 224) << 224) + _EPOCH_ONE;
        emit Revoked(patient, grantee);
    }

    /// @dev Sets or clears the delegate bit of the (patient, delegate) pair; a patient change, so the
    ///      epoch grows (a held "allow" signature cannot re-add a delegate the patient removed).
    function _setDelegate(address patient, address delegate, bool allowed, uint256 signedEpoch) internal override {
        if (delegate == address(0) || delegate == patient) revert InvalidGrantee();
        uint256 old = _grants[patient][delegate];
        _checkEpoch(patient, delegate, old, signedEpoch);
        _grants[patient][delegate] = ((old & ~_DELEGATE_BIT) | (allowed ? _DELEGATE_BIT : 0)) + _EPOCH_ONE;
        emit EmergencyDelegateSet(patient, delegate, allowed);
    }

    function _checkEpoch(address patient, address grantee, uint256 slot, uint256 signedEpoch) private pure {
        if (signedEpoch != _ANY_EPOCH && signedEpoch != slot >> _EPOCH_SHIFT) {
            revert StaleEpoch(patient, grantee, uint32(signedEpoch), uint32(slot >> _EPOCH_SHIFT));
        }
    }

    function _checkScopes(uint32 scopes) private pure {
        if (scopes == 0 || scopes & ~Scopes.ALL != 0) revert InvalidScopes(scopes);
    }

    function _effectiveScopes(uint256 slot) private view returns (uint32 scopes) {
        if (uint64(slot >> 32) > block.timestamp) scopes = uint32(slot);
        if (uint64(slot >> _EMERGENCY_SHIFT) > block.timestamp) scopes |= Scopes.STANDARD;
    }
}
