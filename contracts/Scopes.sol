// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Scopes
/// @notice Consent scope bits shared by the access contracts. The off-chain mirror lives in
///         shared/chain/scopes.ts (SMART App Launch v2 scopes -> these bits); keep both in step.
/// @dev Category bits say which records a grantee may read; WRITE is separate because adding
///      records for a patient (anchorFor, authored records) is a different power from reading.
library Scopes {
    uint32 internal constant LABS = 1 << 0;
    uint32 internal constant VITALS = 1 << 1;
    uint32 internal constant MEDICATIONS = 1 << 2;
    uint32 internal constant CONDITIONS = 1 << 3;
    uint32 internal constant ALLERGIES = 1 << 4;
    uint32 internal constant IMMUNIZATIONS = 1 << 5;
    uint32 internal constant PROCEDURES = 1 << 6;
    uint32 internal constant DOCUMENTS = 1 << 7;
    uint32 internal constant NOTES = 1 << 8;
    uint32 internal constant ENCOUNTERS = 1 << 9;
    uint32 internal constant IMAGING = 1 << 10;
    uint32 internal constant DEMOGRAPHICS = 1 << 11;

    // Sensitive categories are never implied by a wildcard or by break-glass: only a grant that
    // names them explicitly carries them.
    uint32 internal constant MENTAL_HEALTH = 1 << 16;
    uint32 internal constant REPRODUCTIVE = 1 << 17;
    uint32 internal constant SUBSTANCE_USE = 1 << 18;

    uint32 internal constant WRITE = 1 << 31;

    /// @dev Every standard (non-sensitive) read category: what break-glass opens.
    uint32 internal constant STANDARD = 0x0FFF;
    uint32 internal constant SENSITIVE = MENTAL_HEALTH | REPRODUCTIVE | SUBSTANCE_USE;
    /// @dev Any bit outside this set is rejected, so a typo cannot grant a future category.
    uint32 internal constant ALL = STANDARD | SENSITIVE | WRITE;
}
