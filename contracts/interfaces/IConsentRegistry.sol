// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice The part of the consent registry other contracts depend on.
interface IConsentRegistry {
    /// @notice True if `grantee` currently holds every bit of `scope` for `patient`.
    function hasAccess(address patient, address grantee, uint32 scope) external view returns (bool);
}
