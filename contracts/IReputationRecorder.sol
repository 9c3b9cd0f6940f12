// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice What the escrow needs from the provider registry: where reputation is recorded.
interface IReputationRecorder {
    /// @notice The escrow allowed to record (fixed at the registry's deployment).
    function escrow() external view returns (address);

    /// @notice A job the provider had started closed with `amount` (> 0) of `token` paid to it in total.
    function recordSettlement(address provider, address token, uint256 amount, uint256 secondsPaid) external;

    /// @notice A job the provider had started closed with nothing paid.
    function recordRefund(address provider) external;
}
