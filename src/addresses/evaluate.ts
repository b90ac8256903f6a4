import { type AddressJudgement, judgeAddress, type Verdict, withRecordEvidence } from './judge';
import { ADDRESS_ELEMENTS, type AddressComponents } from './parse';

/** The verdict each of the generator's ground-truth defects calls for. */
const EXPECTED: Record<string, readonly Verdict[]> = {
  none: ['deliverable_likely', 'shared_by_many'], // a hub sponsor's address is deliverable, and shared
  missing: ['missing'],
  missing_unit: ['missing_unit'],
  undeliverable: ['incomplete'], // the generator drops the house number or the ZIP
  zip_mismatch: ['zip_mismatch'],
};

export interface LabelledAddress {
  raw_text: string;
  /** Expected elements as written; punctuation around them is not compared. */
  components: AddressComponents;
  /** The generator's `address_defect`, when known. */
  defect?: string;
}

export interface AddressEvaluation {
  addresses: number;
  fullyRight: number;
  componentAccuracy: number;
  verdictsJudged: number;
  verdictAgreement: number;
  /** "expected→got" counts of verdict disagreements. */
  confusion: Record<string, number>;
  wrong: { raw_text: string; expected: AddressComponents; got: AddressComponents }[];
}

const trim = (text: string) => text.replace(/^[.,:;"'()]+|[.,:;"'()]+$/g, '');

export function sameComponents(expected: AddressComponents, got: AddressComponents): boolean {
  return ADDRESS_ELEMENTS.every((element) => {
    const want = expected[element];
    const have = got[element];
    return (want === undefined || want === '' ? undefined : trim(want)) === have;
  });
}

/** Scores the parser and the verdicts against labelled addresses (the generator's truth or a hand-labelled set). */
export function evaluateAddresses(labelled: LabelledAddress[], sharedThreshold = 4): AddressEvaluation {
  const judged: AddressJudgement[] = withRecordEvidence(
    labelled.map((row) => judgeAddress(row.raw_text)),
    sharedThreshold,
  );
  let fullyRight = 0;
  let verdictsJudged = 0;
  let agreed = 0;
  const confusion: Record<string, number> = {};
  const wrong: AddressEvaluation['wrong'] = [];
  labelled.forEach((row, i) => {
    const judgement = judged[i]!;
    if (sameComponents(row.components, judgement.components)) fullyRight++;
    else wrong.push({ raw_text: row.raw_text, expected: row.components, got: judgement.components });
    const expected = row.defect === undefined ? undefined : EXPECTED[row.defect];
    if (!expected) return;
    verdictsJudged++;
    if (expected.includes(judgement.verdict)) agreed++;
    else
      confusion[`${row.defect}→${judgement.verdict}`] =
        (confusion[`${row.defect}→${judgement.verdict}`] ?? 0) + 1;
  });
  return {
    addresses: labelled.length,
    fullyRight,
    componentAccuracy: labelled.length === 0 ? 0 : fullyRight / labelled.length,
    verdictsJudged,
    verdictAgreement: verdictsJudged === 0 ? 0 : agreed / verdictsJudged,
    confusion,
    wrong,
  };
}

/** Reads the generator's truth/addresses.csv rows into labelled addresses. */
export function fromGeneratorTruth(rows: Record<string, string>[]): LabelledAddress[] {
  return rows.map((row) => {
    const components: AddressComponents = {};
    for (const element of ADDRESS_ELEMENTS) if (row[element]) components[element] = row[element];
    return { raw_text: row.raw_text ?? '', components, defect: row.defect };
  });
}
