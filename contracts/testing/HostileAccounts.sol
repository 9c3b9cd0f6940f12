// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice A provider (or renter) that is a contract refusing every payment: ETH and token hooks revert.
///         It forwards calls from its owner, so it can take jobs and redeem as a provider.
contract RevertingReceiver {
    error PaymentRefused();

    address public immutable owner;

    constructor() {
        owner = msg.sender;
    }

    function execute(address target, bytes calldata data) external returns (bytes memory) {
        require(msg.sender == owner, "owner");
        (bool ok, bytes memory result) = target.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 32), mload(result))
            }
        }
        return result;
    }

    function onTokenReceived(address, uint256) external pure {
        revert PaymentRefused();
    }

    receive() external payable {
        revert PaymentRefused();
    }
}
