// The AMD tools in one import: rocm-smi (JSON, default table, text report) and its successor amd-smi.
export { parseRocmSmiJson } from './rocm-smi-json';
export { parseRocmSmiLog, parseRocmSmiTable } from './rocm-smi-text';
export { parseAmdSmiJson, parseAmdSmiText } from './amd-smi';
export { classifyRocmSmiFailure } from './rocm-smi-errors';
export type { RocmSmiFailure, RocmSmiFailureKind } from './rocm-smi-errors';
