import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldName, foldText, tokensOf } from './names';

describe('foldName', () => {
  it.each([
    ['María José', 'MARIA JOSE'],
    ['  muñoz   ', 'MUNOZ'],
    ['GARCÍA-LÓPEZ', 'GARCIA LOPEZ'],
    ["O'Brien", 'OBRIEN'],
    ['J. R. Smith', 'J R SMITH'],
    ['Ángel  Ñúñez', 'ANGEL NUNEZ'],
    ['Çelik Øster', 'CELIK OSTER'],
    ['Straße', 'STRASSE'],
    ['de la Cruz', 'CRUZ'],
    ['De Los Santos', 'SANTOS'],
    ['de las Casas', 'CASAS'],
    ['del Carmen', 'CARMEN'],
    ['García y López', 'GARCIA LOPEZ'],
    ['Juan de Dios', 'JUAN DIOS'],
    ['da Silva', 'SILVA'],
    ['dos Santos', 'SANTOS'],
    ['do Nascimento', 'NASCIMENTO'],
    ['Di Lorenzo', 'DI LORENZO'],
    ['Le Blanc', 'LE BLANC'],
    ['das Neves', 'NEVES'],
    ['la Torre', 'TORRE'],
    ['los Ángeles', 'ANGELES'],
    // Particles that precede nothing stay: a truncated field, or a field that is nothing else.
    ['María de', 'MARIA DE'],
    ['de la', 'DE LA'],
    ['Y', 'Y'],
    ['', ''],
    ['  -- ', ''],
  ])('%j -> %j', (input, folded) => {
    expect(foldName(input)).toBe(folded);
  });

  it('drops exactly the listed particles before a surname', () => {
    const particles = ['DE', 'DEL', 'LA', 'LAS', 'LOS', 'Y', 'DA', 'DAS', 'DO', 'DOS'];
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('D', 'E', 'L', 'A', 'O', 'S', 'Y'), minLength: 1, maxLength: 3 }),
        (token) => {
          expect(foldName(`${token} GARCIA`)).toBe(particles.includes(token) ? 'GARCIA' : `${token} GARCIA`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is idempotent and returns already folded names unchanged', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        const once = foldName(s);
        expect(foldName(once)).toBe(once);
        expect(once).not.toMatch(/^ | $| {2}/);
      }),
    );
    const folded = 'GARCIA LOPEZ';
    expect(foldName(folded)).toBe(folded);
  });
});

describe('foldText', () => {
  it('folds like foldName but keeps particles', () => {
    expect(foldText('Calle de la Paz, 12')).toBe('CALLE DE LA PAZ 12');
    expect(foldText('São Paulo')).toBe('SAO PAULO');
  });
});

describe('tokensOf', () => {
  it('splits folded names', () => {
    expect(tokensOf('')).toEqual([]);
    expect(tokensOf('GARCIA LOPEZ')).toEqual(['GARCIA', 'LOPEZ']);
  });
});
