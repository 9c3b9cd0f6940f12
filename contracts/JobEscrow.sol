// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IReputationRecorder} from "./IReputationRecorder.sol";

/// @title Nocturne job escrow
/// @notice A renter locks a deposit for one job with one provider and pays as the job runs by signing
///         cumulative vouchers off-chain (EIP-712). The provider redeems the latest voucher whenever it likes;
///         the renter takes back what is left after the job's deadline, or all of it by cancelling before the
///         provider has started. See docs/protocol.md for the rules, the voucher format and the job id.
/// @dev Storage: one slot per job (amount paid and status). The job's immutable terms are not stored: the job
///      id is their hash, and every call that touches a job passes them as calldata. No owner, no upgrade,
///      no fee. Tokens are plain ERC-20s; fee-on-transfer tokens are refused when a job is opened.
contract JobEscrow is EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice A job's immutable terms. The job id is keccak256(abi.encode(chainId, escrow, terms)).
    /// @param renter who deposited, signs the vouchers, and gets back what is not paid
    /// @param provider who is paid
    /// @param token the ERC-20 the deposit is in
    /// @param deposit locked at openJob, in the token's base units
    /// @param pricePerSecond the agreed price, in base units per second of GPU time (checked off-chain by the
    ///        provider against the vouchers; on-chain it only feeds the reputation's seconds)
    /// @param maxSeconds the longest the job may run
    /// @param specHash hash of the job's spec and bundle, agreed off-chain
    /// @param startDeadline the provider must start by then (Unix seconds)
    /// @param nonce the escrow's job counter when the job was opened (makes every id unique)
    struct JobTerms {
        address renter;
        address provider;
        IERC20 token;
        uint128 deposit;
        uint128 pricePerSecond;
        uint64 maxSeconds;
        bytes32 specHash;
        uint64 startDeadline;
        uint64 nonce;
    }

    /// @notice One voucher to redeem in a redeemMany batch; `r` and `vs` are its signature (EIP-2098).
    struct Redemption {
        JobTerms terms;
        uint256 cumulativeAmount;
        bytes32 r;
        bytes32 vs;
    }

    /// @notice None: no such job. Open: deposit held, not started. Started: the provider started it or
    ///         redeemed a voucher; the renter can no longer cancel. Closed: finished by the provider or
    ///         reclaimed by the renter. Cancelled: the renter took the whole deposit back before the start.
    enum Status {
        None,
        Open,
        Started,
        Closed,
        Cancelled
    }

    /// @dev The whole mutable state of a job: one storage slot.
    struct Job {
        uint128 paid;
        Status status;
    }

    /// @notice keccak256("Voucher(bytes32 jobId,uint256 cumulativeAmount)")
    bytes32 public constant VOUCHER_TYPEHASH = keccak256("Voucher(bytes32 jobId,uint256 cumulativeAmount)");

    /// @notice Time the provider has after the latest possible end of a job (startDeadline + maxSeconds) to
    ///         redeem its last voucher before the renter may reclaim the rest.
    uint256 public constant SETTLEMENT_WINDOW = 1 days;

    /// @notice Where reputation is recorded when a started job closes.
    IReputationRecorder public immutable registry;

    /// @notice The nonce the next job gets (the number of jobs opened so far).
    uint64 public jobCount;

    mapping(bytes32 jobId => Job) private _jobs;

    event JobOpened(bytes32 indexed jobId, address indexed renter, address indexed provider, JobTerms terms);
    event JobStarted(bytes32 indexed jobId);
    /// @notice A voucher was paid: the job has now paid `totalPaid` to the provider in all (this payment is
    ///         the difference to the previous total).
    event JobRedeemed(bytes32 indexed jobId, uint256 totalPaid);
    event JobCancelled(bytes32 indexed jobId, uint256 refund);
    event JobFinished(bytes32 indexed jobId, uint256 totalPaid, uint256 refund);
    event JobReclaimed(bytes32 indexed jobId, uint256 totalPaid, uint256 refund);

    error RegistryMismatch(address registry);
    error ZeroAddress();
    error ProviderIsRenter();
    error ZeroDeposit();
    error ZeroPrice();
    error ZeroDuration();
    error StartDeadlineInPast(uint64 startDeadline, uint256 now);
    /// @notice The token moved another amount than the deposit into the escrow (a fee-on-transfer token).
    error DepositNotReceived(uint256 expected, uint256 received);
    error UnknownJob(bytes32 jobId);
    /// @notice startJob and cancel need an Open job.
    error JobNotOpen(bytes32 jobId, Status status);
    /// @notice redeem, finish and reclaim need an Open or Started job.
    error JobNotActive(bytes32 jobId, Status status);
    error NotRenter(address caller);
    error NotProvider(address caller);
    error StartDeadlinePassed(bytes32 jobId, uint64 startDeadline);
    error DeadlineNotReached(bytes32 jobId, uint256 deadline);
    /// @notice The voucher (capped at the deposit) is not above what the job has already paid.
    error NothingToRedeem(bytes32 jobId, uint256 cumulativeAmount, uint256 alreadyPaid);
    /// @notice The signature does not recover: s in the upper half of the curve order (a malleable copy), or
    ///         r and s that are no signature.
    error MalformedSignature();
    /// @notice The voucher was signed by someone else (or for another job, escrow or chain).
    error SignerNotRenter(bytes32 jobId, address signer);
    error EmptyBatch();

    /// @param registry_ the ProviderRegistry deployed with this escrow's address as its `escrow`
    constructor(IReputationRecorder registry_) EIP712("Nocturne JobEscrow", "1") {
        if (address(registry_).code.length == 0 || registry_.escrow() != address(this))
            revert RegistryMismatch(address(registry_));
        registry = registry_;
    }

    // ---------------------------------------------------------------- renter

    /// @notice Opens a job and pulls `deposit` of `token` from the caller (approve it first).
    /// @return jobId the new job's id (also in the JobOpened event, with the terms to pass to later calls)
    function openJob(
        address provider,
        IERC20 token,
        uint128 deposit,
        uint128 pricePerSecond,
        uint64 maxSeconds,
        bytes32 specHash,
        uint64 startDeadline
    ) external nonReentrant returns (bytes32 jobId) {
        if (provider == address(0) || address(token) == address(0)) revert ZeroAddress();
        if (provider == msg.sender) revert ProviderIsRenter();
        if (deposit == 0) revert ZeroDeposit();
        if (pricePerSecond == 0) revert ZeroPrice();
        if (maxSeconds == 0) revert ZeroDuration();
        if (startDeadline <= block.timestamp) revert StartDeadlineInPast(startDeadline, block.timestamp);

        JobTerms memory terms = JobTerms({
            renter: msg.sender,
            provider: provider,
            token: token,
            deposit: deposit,
            pricePerSecond: pricePerSecond,
            maxSeconds: maxSeconds,
            specHash: specHash,
            startDeadline: startDeadline,
            nonce: jobCount
        });
        unchecked {
            jobCount = terms.nonce + 1; // 2^64 jobs will not happen
        }
        jobId = keccak256(abi.encode(block.chainid, address(this), terms));
        _jobs[jobId] = Job({paid: 0, status: Status.Open});
        emit JobOpened(jobId, msg.sender, provider, terms);

        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), deposit);
        uint256 balance = token.balanceOf(address(this));
        if (balance < before || balance - before != deposit)
            revert DepositNotReceived(deposit, balance < before ? 0 : balance - before);
    }

    /// @notice Takes the whole deposit back. Only the renter, only while the job is Open (the provider has
    ///         neither started it nor redeemed anything), at any time.
    function cancel(JobTerms calldata terms) external nonReentrant {
        if (msg.sender != terms.renter) revert NotRenter(msg.sender);
        bytes32 jobId = _jobIdOf(terms);
        Status status = _jobs[jobId].status;
        if (status == Status.None) revert UnknownJob(jobId);
        if (status != Status.Open) revert JobNotOpen(jobId, status);
        _jobs[jobId] = Job({paid: 0, status: Status.Cancelled});
        emit JobCancelled(jobId, terms.deposit);
        terms.token.safeTransfer(terms.renter, terms.deposit);
    }

    /// @notice Takes back what the job has not paid, once its deadline (startDeadline + maxSeconds +
    ///         SETTLEMENT_WINDOW) has passed, and closes it. Only the renter.
    function reclaim(JobTerms calldata terms) external nonReentrant {
        if (msg.sender != terms.renter) revert NotRenter(msg.sender);
        bytes32 jobId = _jobIdOf(terms);
        Job memory job = _jobs[jobId];
        _requireActive(jobId, job.status);
        uint256 deadline = _deadline(terms);
        if (block.timestamp < deadline) revert DeadlineNotReached(jobId, deadline);
        uint256 refund = terms.deposit - job.paid;
        _jobs[jobId] = Job({paid: job.paid, status: Status.Closed});
        emit JobReclaimed(jobId, job.paid, refund);
        if (job.status == Status.Started) _recordReputation(terms, job.paid);
        if (refund != 0) terms.token.safeTransfer(terms.renter, refund);
    }

    // ---------------------------------------------------------------- provider

    /// @notice The provider takes the job: from now on the renter cannot cancel. Only the provider, only an
    ///         Open job, no later than its startDeadline.
    function startJob(JobTerms calldata terms) external nonReentrant {
        if (msg.sender != terms.provider) revert NotProvider(msg.sender);
        bytes32 jobId = _jobIdOf(terms);
        Status status = _jobs[jobId].status;
        if (status == Status.None) revert UnknownJob(jobId);
        if (status != Status.Open) revert JobNotOpen(jobId, status);
        if (block.timestamp > terms.startDeadline) revert StartDeadlinePassed(jobId, terms.startDeadline);
        _jobs[jobId] = Job({paid: 0, status: Status.Started});
        emit JobStarted(jobId);
    }

    /// @notice Pays the provider min(cumulativeAmount, deposit) minus what the job has already paid. Anyone
    ///         may send it (the money only goes to the provider). Marks an Open job Started.
    /// @param r the renter's EIP-712 signature of Voucher(jobId, cumulativeAmount), in the compact form of
    ///        EIP-2098: r, and s with the y parity in its top bit (`vs`)
    function redeem(JobTerms calldata terms, uint256 cumulativeAmount, bytes32 r, bytes32 vs)
        external
        nonReentrant
    {
        uint256 amount = _redeem(terms, cumulativeAmount, r, vs);
        terms.token.safeTransfer(terms.provider, amount);
    }

    /// @notice Redeems many vouchers in one transaction, all or nothing. Consecutive redemptions with the
    ///         same provider and token are paid in one transfer, so sort a batch by (provider, token).
    function redeemMany(Redemption[] calldata redemptions) external nonReentrant {
        uint256 count = redemptions.length;
        if (count == 0) revert EmptyBatch();
        address provider = redemptions[0].terms.provider;
        IERC20 token = redemptions[0].terms.token;
        uint256 owed;
        for (uint256 i = 0; i < count; ) {
            Redemption calldata redemption = redemptions[i];
            if (redemption.terms.provider != provider || redemption.terms.token != token) {
                token.safeTransfer(provider, owed);
                provider = redemption.terms.provider;
                token = redemption.terms.token;
                owed = 0;
            }
            owed += _redeem(redemption.terms, redemption.cumulativeAmount, redemption.r, redemption.vs);
            unchecked {
                ++i;
            }
        }
        token.safeTransfer(provider, owed);
    }

    /// @notice Closes the job early: pays the final voucher if it is above what was paid (else the voucher
    ///         is ignored and its signature may be zero), returns the rest of the deposit to the renter,
    ///         records the reputation. Only the provider, on an Open or Started job, at any time.
    function finish(JobTerms calldata terms, uint256 cumulativeAmount, bytes32 r, bytes32 vs)
        external
        nonReentrant
    {
        if (msg.sender != terms.provider) revert NotProvider(msg.sender);
        bytes32 jobId = _jobIdOf(terms);
        Job memory job = _jobs[jobId];
        _requireActive(jobId, job.status);
        uint256 total = cumulativeAmount < terms.deposit ? cumulativeAmount : terms.deposit;
        uint256 amount;
        if (total > job.paid) {
            _checkVoucher(jobId, cumulativeAmount, r, vs, terms.renter);
            amount = total - job.paid;
            job.paid = uint128(total);
            job.status = Status.Started;
            emit JobRedeemed(jobId, total);
        }
        uint256 refund = terms.deposit - job.paid;
        _jobs[jobId] = Job({paid: job.paid, status: Status.Closed});
        emit JobFinished(jobId, job.paid, refund);
        if (job.status == Status.Started) _recordReputation(terms, job.paid);
        if (amount != 0) terms.token.safeTransfer(terms.provider, amount);
        if (refund != 0) terms.token.safeTransfer(terms.renter, refund);
    }

    // ---------------------------------------------------------------- views

    /// @notice The id of the job with these terms on this escrow and chain (whether or not it exists).
    function jobIdOf(JobTerms calldata terms) external view returns (bytes32) {
        return _jobIdOf(terms);
    }

    /// @notice A job's status and the total it has paid to the provider.
    function jobState(bytes32 jobId) external view returns (Status status, uint128 paid) {
        Job memory job = _jobs[jobId];
        return (job.status, job.paid);
    }

    /// @notice When the renter may reclaim: startDeadline + maxSeconds + SETTLEMENT_WINDOW.
    function deadlineOf(JobTerms calldata terms) external pure returns (uint256) {
        return _deadline(terms);
    }

    /// @notice The EIP-712 digest a renter signs for a voucher.
    function voucherDigest(bytes32 jobId, uint256 cumulativeAmount) external view returns (bytes32) {
        return _voucherDigest(jobId, cumulativeAmount);
    }

    // ---------------------------------------------------------------- internals

    function _redeem(JobTerms calldata terms, uint256 cumulativeAmount, bytes32 r, bytes32 vs)
        private
        returns (uint256 amount)
    {
        bytes32 jobId = _jobIdOf(terms);
        Job storage job = _jobs[jobId];
        (uint256 paid, Status status) = (job.paid, job.status);
        _requireActive(jobId, status);
        uint256 deposit = terms.deposit;
        uint256 total = cumulativeAmount < deposit ? cumulativeAmount : deposit;
        if (total <= paid) revert NothingToRedeem(jobId, cumulativeAmount, paid);
        _checkVoucher(jobId, cumulativeAmount, r, vs, terms.renter);
        (job.paid, job.status) = (uint128(total), Status.Started); // total <= deposit < 2^128
        unchecked {
            amount = total - paid;
        }
        emit JobRedeemed(jobId, total);
    }

    function _checkVoucher(bytes32 jobId, uint256 cumulativeAmount, bytes32 r, bytes32 vs, address renter)
        private
        view
    {
        (address signer, ECDSA.RecoverError error_, ) = ECDSA.tryRecover(_voucherDigest(jobId, cumulativeAmount), r, vs);
        if (error_ != ECDSA.RecoverError.NoError) revert MalformedSignature();
        if (signer != renter) revert SignerNotRenter(jobId, signer);
    }

    /// @dev _hashTypedDataV4(keccak256(abi.encode(VOUCHER_TYPEHASH, jobId, cumulativeAmount))), in scratch
    ///      memory (redeemMany computes one per job).
    function _voucherDigest(bytes32 jobId, uint256 cumulativeAmount) private view returns (bytes32 digest) {
        bytes32 domainSeparator = _domainSeparatorV4();
        bytes32 typeHash = VOUCHER_TYPEHASH;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, typeHash)
            mstore(add(ptr, 0x20), jobId)
            mstore(add(ptr, 0x40), cumulativeAmount)
            let structHash := keccak256(ptr, 0x60)
            mstore(ptr, hex"1901")
            mstore(add(ptr, 0x02), domainSeparator)
            mstore(add(ptr, 0x22), structHash)
            digest := keccak256(ptr, 0x42)
        }
    }

    /// @dev keccak256(abi.encode(block.chainid, address(this), terms)), hashed straight from calldata. Terms
    ///      with dirty high bits hash to an id no job has (UnknownJob), or revert when a field is read.
    function _jobIdOf(JobTerms calldata terms) private view returns (bytes32 jobId) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, chainid())
            mstore(add(ptr, 0x20), address())
            calldatacopy(add(ptr, 0x40), terms, 0x120)
            jobId := keccak256(ptr, 0x160)
        }
    }

    function _deadline(JobTerms calldata terms) private pure returns (uint256) {
        return uint256(terms.startDeadline) + terms.maxSeconds + SETTLEMENT_WINDOW;
    }

    function _requireActive(bytes32 jobId, Status status) private pure {
        if (status == Status.None) revert UnknownJob(jobId);
        if (status != Status.Open && status != Status.Started) revert JobNotActive(jobId, status);
    }

    function _recordReputation(JobTerms calldata terms, uint256 paid) private {
        if (paid == 0) registry.recordRefund(terms.provider);
        else registry.recordSettlement(terms.provider, address(terms.token), paid, paid / terms.pricePerSecond);
    }
}
