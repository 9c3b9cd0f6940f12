// The market contracts (ProviderRegistry, JobEscrow) for the app: typed clients, vouchers, job ids,
// deployment. Rules and formats: docs/protocol.md.
export { JOB_ESCROW_ABI } from './abi/job-escrow-abi';
export { PROVIDER_REGISTRY_ABI } from './abi/provider-registry-abi';
export * from './deploy';
export * from './job-escrow';
export * from './job-terms';
export * from './market-errors';
export * from './provider-registry';
export * from './voucher';
