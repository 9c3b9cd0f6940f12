// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice A price feed with Chainlink's AggregatorV3 read interface, set by hand: the app's fiat estimate
///         reads a network's `PriceFeed` through exactly these calls. For the tests only.
contract TestPriceFeed {
    uint8 public immutable decimals;
    string public description;
    int256 private answer;
    uint256 private updatedAt;
    uint80 private round;

    constructor(uint8 decimals_, string memory description_) {
        decimals = decimals_;
        description = description_;
    }

    function set(int256 answer_, uint256 updatedAt_) external {
        answer = answer_;
        updatedAt = updatedAt_;
        round += 1;
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        return (round, answer, updatedAt, updatedAt, round);
    }
}
