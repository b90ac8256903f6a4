import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { phoneticCode, spanishPhonetic } from './phonetic';

describe('spanishPhonetic', () => {
  it.each([
    [['VASQUEZ', 'VAZQUEZ', 'BASQUEZ', 'Vásquez', 'BAZQUES'], 'BSKS'],
    [['JIMENEZ', 'XIMENEZ', 'GIMENEZ', 'Jiménez'], 'JMNS'],
    [['HERNANDEZ', 'ERNANDEZ', 'Hernández'], 'ERNNDS'],
    [['YOLANDA', 'LLOLANDA'], 'YLND'],
    [['XIMENA', 'JIMENA'], 'JMN'],
    [['XAVIER', 'JAVIER'], 'JBR'],
    [['GUILLERMO', 'GUIYERMO'], 'GYRM'],
    [['GILBERTO', 'JILBERTO'], 'JLBRT'],
    [['QUINTERO', 'KINTERO'], 'KNTR'],
    [['CECILIA', 'SESILIA', 'ZEZILIA'], 'SSL'],
    [['MUÑOZ', 'MUNOZ', 'MUNHOZ'], 'MNS'],
    [['CORREA', 'CORea'], 'KR'],
    [['ISABEL', 'YSABEL', 'IZABEL'], 'ISBL'],
    [['OSWALDO', 'OSVALDO'], 'OSBLD'],
    [['RAFAEL', 'RAPHAEL'], 'RFL'],
    [['CHAVEZ', 'CHABEZ'], 'CBS'],
    [['ALEXANDER'], 'ALKSNDR'],
    [['De la Cruz', 'CRUZ', 'KRUS'], 'KRS'],
    [['María José', 'MARIA JOSE'], 'MR JS'],
  ])('%j -> %s', (spellings, code) => {
    for (const spelling of spellings) expect(spanishPhonetic(spelling), spelling).toBe(code);
  });

  it.each([
    ['GUTIERREZ', 'GONZALEZ'],
    ['CHAVEZ', 'SABES'], // CH is its own sound
    ['GARCIA', 'MARTINEZ'],
    ['ROSA', 'ROSAS'],
  ])('%s and %s differ', (a, b) => {
    expect(spanishPhonetic(a)).not.toBe(spanishPhonetic(b));
  });

  it('keys only letters, with no stray spaces', () => {
    expect(spanishPhonetic('')).toBe('');
    expect(spanishPhonetic('H')).toBe('');
    expect(spanishPhonetic('H MARIA')).toBe('MR');
    expect(phoneticCode('123')).toBe('');
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        expect(spanishPhonetic(s)).toMatch(/^([A-Z]+( [A-Z]+)*)?$/);
      }),
    );
  });
});
