// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IProviderDirectory} from "./interfaces/IProviderDirectory.sol";

/// @title ProviderDirectory
/// @notice Public encryption keys for anyone, and licence attestations for providers.
/// @dev Verifiers (licensing bodies) hold VERIFIER_ROLE. The default admin that manages them follows
///      OpenZeppelin's two-step, delayed transfer rules, so a stolen admin key cannot silently swap
///      the admin. Only hashes and timestamps are stored: the licence document stays off chain.
contract ProviderDirectory is AccessControlDefaultAdminRules, IProviderDirectory {
    bytes32 public constant VERIFIER_ROLE = keccak256("VERIFIER_ROLE");

    /// @dev Two slots: the licence hash, then verifier + expiry packed, so isVerifiedProvider reads one.
    struct Attestation {
        bytes32 licenseHash;
        address verifier;
        uint64 expiresAt;
    }

    mapping(address account => bytes32 key) private _encryptionKeys;
    mapping(address provider => Attestation) private _attestations;

    event EncryptionKeySet(address indexed account, bytes32 key);
    event ProviderAttested(
        address indexed provider, address indexed verifier, bytes32 licenseHash, uint64 expiresAt
    );
    event AttestationRevoked(address indexed provider, address indexed verifier);

    error InvalidEncryptionKey();
    error InvalidProvider();
    error InvalidLicenseHash();
    error ExpiryNotInFuture(uint64 expiresAt);
    error NotAttested(address provider);

    /// @param adminDelay Seconds a default-admin transfer must wait after being started.
    /// @param admin The initial default admin (grants and revokes VERIFIER_ROLE).
    constructor(uint48 adminDelay, address admin) AccessControlDefaultAdminRules(adminDelay, admin) {}

    /// @notice Publish (or rotate) the caller's X25519 public encryption key.
    /// @dev The all-zero key is refused: it is a low-order X25519 point and doubles as "unset".
    /// @param key The 32-byte X25519 public key.
    function setEncryptionKey(bytes32 key) external {
        if (key == bytes32(0)) revert InvalidEncryptionKey();
        _encryptionKeys[msg.sender] = key;
        emit EncryptionKeySet(msg.sender, key);
    }

    /// @notice The X25519 public key `account` published, or zero if none.
    /// @param account The key owner.
    /// @return key The published key.
    function encryptionKeyOf(address account) external view returns (bytes32 key) {
        return _encryptionKeys[account];
    }

    /// @notice Attest (or re-attest) that `provider` holds a licence, until `expiresAt`.
    /// @param provider The provider's address.
    /// @param licenseHash A salted hash of the licence record kept by the verifier.
    /// @param expiresAt When the attestation lapses (unix seconds, in the future).
    function attestProvider(address provider, bytes32 licenseHash, uint64 expiresAt)
        external
        onlyRole(VERIFIER_ROLE)
    {
        if (provider == address(0)) revert InvalidProvider();
        if (licenseHash == bytes32(0)) revert InvalidLicenseHash();
        if (expiresAt <= block.timestamp) revert ExpiryNotInFuture(expiresAt);
        _attestations[provider] = Attestation(licenseHash, msg.sender, expiresAt);
        emit ProviderAttested(provider, msg.sender, licenseHash, expiresAt);
    }

    /// @notice Withdraw `provider`'s attestation at once (any verifier may, e.g. on licence loss).
    /// @param provider The provider whose attestation ends.
    function revokeAttestation(address provider) external onlyRole(VERIFIER_ROLE) {
        if (_attestations[provider].verifier == address(0)) revert NotAttested(provider);
        delete _attestations[provider];
        emit AttestationRevoked(provider, msg.sender);
    }

    /// @notice The stored attestation of `provider` (zero values if none; may be expired).
    /// @param provider The provider.
    /// @return licenseHash The attested licence hash.
    /// @return verifier Who attested.
    /// @return expiresAt When the attestation lapses.
    function attestationOf(address provider)
        external
        view
        returns (bytes32 licenseHash, address verifier, uint64 expiresAt)
    {
        Attestation storage a = _attestations[provider];
        return (a.licenseHash, a.verifier, a.expiresAt);
    }

    /// @inheritdoc IProviderDirectory
    /// @dev Also requires the attesting verifier to still hold VERIFIER_ROLE: removing a compromised
    ///      verifier voids everything it attested, without touching each attestation.
    function isVerifiedProvider(address provider) external view returns (bool) {
        Attestation storage a = _attestations[provider];
        return a.expiresAt > block.timestamp && hasRole(VERIFIER_ROLE, a.verifier);
    }
}
