// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice The part of the provider directory other contracts depend on.
interface IProviderDirectory {
    /// @notice True while `provider` holds an unexpired, unrevoked attestation by a verifier.
    function isVerifiedProvider(address provider) external view returns (bool);
}
