// Synthetic caseload: agency feeds that behave like the real ones, with the ground truth to check every figure.
export { GENERATOR_VERSION, type GenerateOptions, generateCaseload } from './caseload';
export type { Manifest } from './manifest';
