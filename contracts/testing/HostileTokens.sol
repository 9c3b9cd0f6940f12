// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

// Tokens that misbehave, for the escrow's tests only. Never deployed by the app.

/// @notice Mints freely; the base of the hostile tokens below.
abstract contract MintableTestToken is ERC20 {
    constructor(string memory name_) ERC20(name_, name_) {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}

/// @notice On its next transfer (or transferFrom) it calls `target` with `payload` once, and records how the
///         reentrant call ended instead of failing the transfer.
contract ReentrantToken is MintableTestToken {
    address public target;
    bytes public payload;
    bool public armed;
    bool public reentrySucceeded;
    bytes public reentryResult;
    uint256 public reentryAttempts;

    constructor() MintableTestToken("REENTER") {}

    function arm(address target_, bytes calldata payload_) external {
        target = target_;
        payload = payload_;
        armed = true;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (armed && from != address(0)) {
            armed = false;
            reentryAttempts += 1;
            (bool ok, bytes memory result) = target.call(payload);
            reentrySucceeded = ok;
            reentryResult = result;
        }
    }
}

/// @notice Burns 1 % of every transfer from the amount the recipient gets.
contract FeeOnTransferToken is MintableTestToken {
    constructor() MintableTestToken("FEE") {}

    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) return super._update(from, to, value);
        uint256 fee = value / 100;
        super._update(from, address(0), fee);
        super._update(from, to, value - fee);
    }
}

/// @notice Returns false instead of reverting, without moving anything, when told to.
contract FalseReturningToken is MintableTestToken {
    bool public failTransfer;
    bool public failTransferFrom;

    constructor() MintableTestToken("FALSE") {}

    function setFailures(bool transfer_, bool transferFrom_) external {
        failTransfer = transfer_;
        failTransferFrom = transferFrom_;
    }

    function transfer(address to, uint256 value) public override returns (bool) {
        if (failTransfer) return false;
        return super.transfer(to, value);
    }

    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        if (failTransferFrom) return false;
        return super.transferFrom(from, to, value);
    }
}

/// @notice USDT-style: transfer and transferFrom return nothing at all.
contract NoReturnToken {
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    function mint(address to, uint256 amount) external {
        balanceOf[to] += amount;
    }

    function approve(address spender, uint256 amount) external {
        allowance[msg.sender][spender] = amount;
    }

    function transfer(address to, uint256 amount) external {
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
    }

    function transferFrom(address from, address to, uint256 amount) external {
        allowance[from][msg.sender] -= amount;
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
    }
}

interface ITokenReceiver {
    function onTokenReceived(address from, uint256 amount) external;
}

/// @notice Calls `onTokenReceived` on every recipient that asked for it (as ERC-777 / ERC-1363 style hooks
///         do), so a recipient can refuse a payment by reverting.
contract HookToken is MintableTestToken {
    mapping(address => bool) public hooked;

    constructor() MintableTestToken("HOOK") {}

    function setHooked(address recipient, bool on) external {
        hooked[recipient] = on;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (from != address(0) && hooked[to]) ITokenReceiver(to).onTokenReceived(from, value);
    }
}
