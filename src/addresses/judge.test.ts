import { describe, expect, it } from 'vitest';
import { DEFECTIVE_VERDICTS, judgeAddress, withRecordEvidence } from './judge';

const codes = (text: string) => judgeAddress(text).reasons.map((reason) => reason.code);

describe('judgeAddress', () => {
  it.each([
    ['', 'missing', ['blank']],
    ['  ', 'missing', ['blank']],
    ['UNKNOWN', 'missing', ['placeholder']],
    ['N/A', 'missing', ['placeholder']],
    ['same as child', 'missing', ['placeholder']],
    ['Desconocido', 'missing', ['placeholder']],
    ['123 Main St, Houston, TX 77002', 'deliverable_likely', []],
    ['Main St, Houston, TX 77002', 'incomplete', ['no_address_number']],
    ['123 Main St, TX 77002', 'incomplete', ['no_city']],
    ['123 Main St, Houston 77002', 'incomplete', ['no_state']],
    ['123 Main St, Houston, TX', 'incomplete', ['no_zip']],
    ['123 Main St, Houston, TX 90012', 'zip_mismatch', ['zip_in_other_state']],
    ['123 Main St, Houston, TX 75201', 'zip_mismatch', ['zip_far_from_city']],
    ['123 Main St, Houston, TX 00001', 'zip_mismatch', ['zip_unknown']],
    ['PO Box 12, Laredo, TX 78040', 'po_box', ['po_box']],
    ['General Delivery, Laredo, TX 78040', 'general_delivery', ['general_delivery']],
    ['26 Federal Plaza, New York, NY 10278', 'non_residential', ['non_residential']],
    ['Casa Shelter, 400 Oak St, Houston, TX 77002', 'non_residential', ['non_residential']],
    ['900 Lakeview Apartments Dr, Houston, TX 77002', 'missing_unit', ['apartment_complex_without_unit']],
    ['RR 2 Box 152, Hazard, KY 41701', 'deliverable_likely', []],
  ])('judges %j as %s', (text, verdict, reasons) => {
    const judgement = judgeAddress(text);
    expect(judgement.verdict).toBe(verdict);
    expect(judgement.reasons.map((reason) => reason.code)).toEqual(reasons);
  });

  it('takes the most serious verdict when several reasons apply', () => {
    expect(codes('Main St, TX 90012')).toEqual(['no_address_number', 'no_city', 'zip_in_other_state']);
    expect(judgeAddress('Main St, TX 90012').verdict).toBe('incomplete');
  });

  it('does not call a town named Shelter Island a shelter', () => {
    expect(judgeAddress('14 Church Ave, Shelter Island Heights, NY 11965').verdict).toBe(
      'deliverable_likely',
    );
  });

  it('counts only delivery defects as defective, not a shared address', () => {
    expect(DEFECTIVE_VERDICTS).toContain('missing_unit');
    expect(DEFECTIVE_VERDICTS).not.toContain('shared_by_many');
    expect(DEFECTIVE_VERDICTS).not.toContain('deliverable_likely');
  });
});

describe('withRecordEvidence', () => {
  it('finds the missing unit when other records at the building carry units', () => {
    const judged = withRecordEvidence(
      [
        '4500 Westheimer Rd Apt 12, Houston, TX 77027',
        '4500 Westheimer Rd, Houston, TX 77027',
        '9 Elm St, Houston, TX 77027',
      ].map(judgeAddress),
      4,
    );
    expect(judged.map((j) => j.verdict)).toEqual([
      'deliverable_likely',
      'missing_unit',
      'deliverable_likely',
    ]);
    expect(judged[1]!.reasons.map((r) => r.code)).toEqual(['units_at_same_address']);
  });

  it('flags a delivery point many records share, keeping its delivery verdict', () => {
    const same = Array.from({ length: 4 }, (_, i) =>
      judgeAddress(`${i % 2 ? '12 oak st' : '12 Oak Street'}, Houston, TX 77002`),
    );
    const judged = withRecordEvidence([...same, judgeAddress('13 Oak St, Houston, TX 77002')], 4);
    expect(judged.slice(0, 4).every((j) => j.verdict === 'shared_by_many')).toBe(true);
    expect(judged[4]!.verdict).toBe('deliverable_likely');
  });
});
