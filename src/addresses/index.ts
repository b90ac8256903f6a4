export { checkAddressFile } from './check-file';
export {
  type AddressJudgement,
  addressKeys,
  DEFECTIVE_VERDICTS,
  DEFECTIVE_VERDICTS_SQL,
  judgeAddress,
  REASONS,
  type Reason,
  VERDICTS,
  type Verdict,
  withRecordEvidence,
} from './judge';
export { ADDRESS_ELEMENTS, type AddressComponents, parseAddress, presentElements } from './parse';
export { type StandardAddress, standardize } from './standardize';
export { ZIP_DATA_ATTRIBUTION } from './zip-reference';
