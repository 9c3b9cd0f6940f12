// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IReputationRecorder} from "./IReputationRecorder.sol";

/// @title Nocturne provider registry
/// @notice Where GPU providers publish their offer (how to reach them over libp2p, what they rent, at what
///         price, in which token) and where their reputation is kept. Reputation counters are written only by
///         the one escrow fixed at deployment; nobody can edit them, not even the provider.
/// @dev No owner, no upgrade. The escrow's address is known before it exists (the deployer's next CREATE
///      address), so both contracts hold each other's address as an immutable; the escrow checks it.
contract ProviderRegistry is IReputationRecorder {
    /// @notice An offer as a provider writes it and as renters read it.
    /// @param peerId libp2p peer id (base58 or CID text), 1 to 128 bytes
    /// @param multiaddrs libp2p multiaddrs to dial, at most 8, each 1 to 256 bytes
    /// @param gpuModel GPU model as the driver names it, 1 to 64 bytes
    /// @param vramMiB GPU memory in MiB, above zero
    /// @param gflops measured benchmark in GFLOP/s (FP32 matmul)
    /// @param pricePerHour price per hour of GPU time in `token`'s base units, above zero
    /// @param token the ERC-20 token accepted as payment
    /// @param available whether the GPU can be rented now
    struct Offer {
        string peerId;
        string[] multiaddrs;
        string gpuModel;
        uint32 vramMiB;
        uint32 gflops;
        uint128 pricePerHour;
        address token;
        bool available;
    }

    /// @notice Per-provider counters, written by the escrow when a job the provider had started closes.
    /// @param jobsSettled started jobs that closed with a payment to the provider
    /// @param jobsRefunded started jobs that closed with nothing paid (the renter got the whole deposit back)
    /// @param secondsPaid sum over settled jobs of paid / pricePerSecond (whole seconds)
    struct Reputation {
        uint64 jobsSettled;
        uint64 jobsRefunded;
        uint128 secondsPaid;
    }

    /// @dev Storage layout of one provider: slot 0 packs the small fields, the strings follow.
    struct Record {
        address token;
        uint32 vramMiB;
        uint32 gflops;
        bool available;
        bool registered;
        uint128 pricePerHour;
        uint64 updatedAt;
        string peerId;
        string gpuModel;
        string[] multiaddrs;
    }

    uint256 public constant MAX_PEER_ID_BYTES = 128;
    uint256 public constant MAX_MULTIADDRS = 8;
    uint256 public constant MAX_MULTIADDR_BYTES = 256;
    uint256 public constant MAX_GPU_MODEL_BYTES = 64;

    /// @notice The only address allowed to record reputation.
    address public immutable escrow;

    mapping(address provider => Record) private _records;
    mapping(address provider => Reputation) private _reputation;
    mapping(address provider => mapping(address token => uint256)) private _earned;
    mapping(address provider => bool) private _listed;
    address[] private _providers;

    event OfferRegistered(address indexed provider, string peerId);
    event OfferUpdated(address indexed provider, string peerId);
    event AvailabilityChanged(address indexed provider, bool available);
    event OfferRetired(address indexed provider);
    event SettlementRecorded(address indexed provider, address indexed token, uint256 amount, uint256 secondsPaid);
    event RefundRecorded(address indexed provider);

    /// @notice A field of the offer is empty, too long or zero; `field` names it.
    error InvalidOffer(string field);
    error AlreadyRegistered(address provider);
    error NotRegistered(address provider);
    error NotEscrow(address caller);
    error ZeroEscrow();

    /// @param escrow_ the JobEscrow that will record reputation (its address may be predicted before it exists)
    constructor(address escrow_) {
        if (escrow_ == address(0)) revert ZeroEscrow();
        escrow = escrow_;
    }

    // ---------------------------------------------------------------- offers (written by providers)

    /// @notice Publishes the caller's offer. A retired provider may register again (its reputation is kept).
    function register(Offer calldata offer) external {
        if (_records[msg.sender].registered) revert AlreadyRegistered(msg.sender);
        _write(offer);
        if (!_listed[msg.sender]) {
            _listed[msg.sender] = true;
            _providers.push(msg.sender);
        }
        emit OfferRegistered(msg.sender, offer.peerId);
    }

    /// @notice Replaces the caller's whole offer.
    function update(Offer calldata offer) external {
        if (!_records[msg.sender].registered) revert NotRegistered(msg.sender);
        _write(offer);
        emit OfferUpdated(msg.sender, offer.peerId);
    }

    /// @notice Flips only the available flag (one storage slot: the cheap call for availability changes).
    function setAvailable(bool available) external {
        Record storage record = _records[msg.sender];
        if (!record.registered) revert NotRegistered(msg.sender);
        record.available = available;
        record.updatedAt = uint64(block.timestamp);
        emit AvailabilityChanged(msg.sender, available);
    }

    /// @notice Withdraws the caller's offer. Its reputation stays.
    function retire() external {
        if (!_records[msg.sender].registered) revert NotRegistered(msg.sender);
        delete _records[msg.sender];
        emit OfferRetired(msg.sender);
    }

    function _write(Offer calldata offer) private {
        uint256 peerIdLength = bytes(offer.peerId).length;
        if (peerIdLength == 0 || peerIdLength > MAX_PEER_ID_BYTES) revert InvalidOffer("peerId");
        if (offer.multiaddrs.length > MAX_MULTIADDRS) revert InvalidOffer("multiaddrs");
        for (uint256 i = 0; i < offer.multiaddrs.length; i++) {
            uint256 length = bytes(offer.multiaddrs[i]).length;
            if (length == 0 || length > MAX_MULTIADDR_BYTES) revert InvalidOffer("multiaddr");
        }
        uint256 modelLength = bytes(offer.gpuModel).length;
        if (modelLength == 0 || modelLength > MAX_GPU_MODEL_BYTES) revert InvalidOffer("gpuModel");
        if (offer.vramMiB == 0) revert InvalidOffer("vramMiB");
        if (offer.pricePerHour == 0) revert InvalidOffer("pricePerHour");
        if (offer.token == address(0)) revert InvalidOffer("token");

        Record storage record = _records[msg.sender];
        record.token = offer.token;
        record.vramMiB = offer.vramMiB;
        record.gflops = offer.gflops;
        record.available = offer.available;
        record.registered = true;
        record.pricePerHour = offer.pricePerHour;
        record.updatedAt = uint64(block.timestamp);
        record.peerId = offer.peerId;
        record.gpuModel = offer.gpuModel;
        delete record.multiaddrs;
        for (uint256 i = 0; i < offer.multiaddrs.length; i++) record.multiaddrs.push(offer.multiaddrs[i]);
    }

    // ---------------------------------------------------------------- reading offers

    /// @notice The provider's offer; `registered` is false (and the offer empty) when it never registered or
    ///         has retired. `updatedAt` is the block time of the last change to the offer.
    function offerOf(address provider)
        public
        view
        returns (Offer memory offer, bool registered, uint64 updatedAt)
    {
        Record storage record = _records[provider];
        offer = Offer({
            peerId: record.peerId,
            multiaddrs: record.multiaddrs,
            gpuModel: record.gpuModel,
            vramMiB: record.vramMiB,
            gflops: record.gflops,
            pricePerHour: record.pricePerHour,
            token: record.token,
            available: record.available
        });
        return (offer, record.registered, record.updatedAt);
    }

    /// @notice How many addresses have ever registered (retired ones included).
    function providerCount() external view returns (uint256) {
        return _providers.length;
    }

    /// @notice A page of providers in registration order, for clients that list the market.
    /// @return providers addresses (shorter than `count` at the end of the list)
    /// @return offers their offers, as offerOf gives them
    /// @return registered false for retired providers
    function providersPage(uint256 start, uint256 count)
        external
        view
        returns (address[] memory providers, Offer[] memory offers, bool[] memory registered)
    {
        uint256 total = _providers.length;
        uint256 end = start >= total ? start : (count > total - start ? total : start + count);
        uint256 n = end - start;
        providers = new address[](n);
        offers = new Offer[](n);
        registered = new bool[](n);
        for (uint256 i = 0; i < n; i++) {
            address provider = _providers[start + i];
            providers[i] = provider;
            (offers[i], registered[i],) = offerOf(provider);
        }
    }

    // ---------------------------------------------------------------- reputation (written by the escrow)

    function reputationOf(address provider) external view returns (Reputation memory) {
        return _reputation[provider];
    }

    /// @notice Total the provider was paid in `token` by jobs that have closed.
    function earned(address provider, address token) external view returns (uint256) {
        return _earned[provider][token];
    }

    /// @inheritdoc IReputationRecorder
    function recordSettlement(address provider, address token, uint256 amount, uint256 secondsPaid)
        external
        override
    {
        if (msg.sender != escrow) revert NotEscrow(msg.sender);
        Reputation storage reputation = _reputation[provider];
        // Counters saturate instead of reverting: a full counter must never block an escrow from closing.
        unchecked {
            if (reputation.jobsSettled != type(uint64).max) reputation.jobsSettled += 1;
            uint256 added = secondsPaid > type(uint128).max ? type(uint128).max : secondsPaid;
            uint256 seconds_ = uint256(reputation.secondsPaid) + added; // both below 2^128: no overflow
            reputation.secondsPaid = seconds_ > type(uint128).max ? type(uint128).max : uint128(seconds_);
            uint256 before = _earned[provider][token];
            uint256 total = before + amount;
            _earned[provider][token] = total < before ? type(uint256).max : total;
        }
        emit SettlementRecorded(provider, token, amount, secondsPaid);
    }

    /// @inheritdoc IReputationRecorder
    function recordRefund(address provider) external override {
        if (msg.sender != escrow) revert NotEscrow(msg.sender);
        Reputation storage reputation = _reputation[provider];
        unchecked {
            if (reputation.jobsRefunded != type(uint64).max) reputation.jobsRefunded += 1;
        }
        emit RefundRecorded(provider);
    }
}
