import { describe, expect, it } from 'vitest';
import { contentHashOf } from './content-hash';

describe('a record’s content hash', () => {
  it('is the hash records were stored with, whatever the order of the payload’s keys', () => {
    const payload = {
      a_number: '123456789',
      given_names: 'Ana',
      dob: '2008-05-01',
      siblings: ['x', 'y'],
      n: 2,
    };
    const reordered = {
      n: 2,
      siblings: ['x', 'y'],
      dob: '2008-05-01',
      given_names: 'Ana',
      a_number: '123456789',
    };
    // Made with createHash('sha256').update(JSON.stringify(payload, sortedKeys)).digest('hex'), as stored before.
    expect(contentHashOf(payload)).toBe('d905cd90683546b1769d9f3f8f69348c');
    expect(contentHashOf(reordered)).toBe('d905cd90683546b1769d9f3f8f69348c');
    expect(contentHashOf({ ...payload, n: 3 })).not.toBe('d905cd90683546b1769d9f3f8f69348c');
  });
});
