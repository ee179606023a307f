// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IProviderDirectory} from "./interfaces/IProviderDirectory.sol";
import {UnorderedNonces} from "./UnorderedNonces.sol";

/// @title ProviderDirectory
/// @notice Public encryption keys for anyone, and licence attestations for providers.
/// @dev Verifiers (licensing bodies) hold VERIFIER_ROLE. The default admin that manages them follows
///      OpenZeppelin's two-step, delayed transfer rules, so a stolen admin key cannot silently swap
///      the admin. Only hashes and timestamps are stored: the licence document stays off chain.
contract ProviderDirectory is AccessControlDefaultAdminRules, EIP712, UnorderedNonces, IProviderDirectory {
    bytes32 public constant VERIFIER_ROLE = keccak256("VERIFIER_ROLE");

    bytes32 internal constant KEY_TYPEHASH = keccak256(
        "EncryptionKey(address account,bytes32 key,bytes32 previousKey,uint256 nonce,uint256 deadline)"
    );

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
    error StaleKey(bytes32 signedPreviousKey, bytes32 currentKey);
    error InvalidProvider();
    error InvalidLicenseHash();
    error ExpiryNotInFuture(uint64 expiresAt);
    error NotAttested(address provider);

    /// @param adminDelay Seconds a default-admin transfer must wait after being started.
    /// @param admin The initial default admin (grants and revokes VERIFIER_ROLE).
    constructor(uint48 adminDelay, address admin)
        AccessControlDefaultAdminRules(adminDelay, admin)
        EIP712("SecureMed Directory", "1")
    {}

    /// @notice Publish (or rotate) the caller's X25519 public encryption key.
    /// @dev The all-zero key is refused: it is a low-order X25519 point and doubles as "unset".
    /// @param key The 32-byte X25519 public key.
    function setEncryptionKey(bytes32 key) external {
        _setEncryptionKey(msg.sender, key);
    }

    /// @notice Submit a key publication signed by `account` (EIP-712 `EncryptionKey`); anyone may relay
    ///         it and pay gas.
    /// @dev Compare-and-swap on the key: the signature names the key it replaces, so a withheld older
    ///      rotation cannot roll the key back after a newer one (StaleKey). The nonce stops replays.
    /// @param account The signer and key owner.
    /// @param key The new X25519 public key (non-zero).
    /// @param previousKey The key published when signing (zero for the first key).
    /// @param nonce An unused nonce of `account` in this contract's bitmap.
    /// @param deadline Last second at which the signature is accepted.
    /// @param r Signature by `account`, EIP-2098 compact form: r.
    /// @param vs Signature by `account`, EIP-2098 compact form: s with the y-parity in the top bit.
    function setEncryptionKeyBySig(
        address account,
        bytes32 key,
        bytes32 previousKey,
        uint256 nonce,
        uint256 deadline,
        bytes32 r,
        bytes32 vs
    ) external {
        _checkSignature(
            account, keccak256(abi.encode(KEY_TYPEHASH, account, key, previousKey, nonce, deadline)), deadline, r, vs
        );
        _useNonce(account, nonce);
        bytes32 current = _encryptionKeys[account];
        if (current != previousKey) revert StaleKey(previousKey, current);
        _setEncryptionKey(account, key);
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

    function _setEncryptionKey(address account, bytes32 key) private {
        if (key == bytes32(0)) revert InvalidEncryptionKey();
        _encryptionKeys[account] = key;
        emit EncryptionKeySet(account, key);
    }

    function _hashTypedData(bytes32 structHash) internal view override returns (bytes32) {
        return _hashTypedDataV4(structHash);
    }

    /// @inheritdoc IProviderDirectory
    /// @dev Also requires the attesting verifier to still hold VERIFIER_ROLE: removing a compromised
    ///      verifier voids everything it attested, without touching each attestation.
    function isVerifiedProvider(address provider) external view returns (bool) {
        Attestation storage a = _attestations[provider];
        return a.expiresAt > block.timestamp && hasRole(VERIFIER_ROLE, a.verifier);
    }
}
