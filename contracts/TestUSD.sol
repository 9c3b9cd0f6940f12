// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title Test USD (tUSD)
/// @notice A stablecoin for the embedded devnet and tests only: no owner, no further minting, no value.
/// @dev Six decimals, like USDC and USDT, so amounts are handled the way real payment tokens need.
contract TestUSD is ERC20 {
    /// @param recipients accounts that each receive `amountEach` (in base units, 6 decimals) at deployment
    /// @param amountEach base units minted to every recipient
    constructor(address[] memory recipients, uint256 amountEach) ERC20("Test USD", "tUSD") {
        for (uint256 i = 0; i < recipients.length; i++) {
            _mint(recipients[i], amountEach);
        }
    }

    function decimals() public pure override returns (uint8) {
        return 6;
    }
}
