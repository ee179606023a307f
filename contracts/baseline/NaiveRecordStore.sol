// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title NaiveRecordStore
/// @notice BENCHMARK BASELINE ONLY — never deploy. Mimics the common "health records on chain"
///         contract that stores each record's fields as strings, to compare gas against anchoring.
/// @dev It also puts PHI on chain in clear text, which is exactly what SecureMed avoids.
contract NaiveRecordStore {
    struct Record {
        string resourceType;
        string code;
        string value;
        string unit;
        string date;
        string author;
    }

    mapping(address patient => Record[]) private _records;

    event RecordAdded(address indexed patient, uint256 index);

    /// @notice Append a record with its fields as strings.
    /// @param r The record fields.
    function addRecord(Record calldata r) external {
        _records[msg.sender].push(r);
        emit RecordAdded(msg.sender, _records[msg.sender].length - 1);
    }

    /// @notice Number of records stored for `patient`.
    /// @param patient The patient.
    /// @return The count.
    function recordCount(address patient) external view returns (uint256) {
        return _records[patient].length;
    }
}
