import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaseFile } from '../cases/case-file.repository';
import {
  escapeHtml,
  fillTemplate,
  NOTICE_KINDS,
  NOTICE_LANGUAGES,
  noticeTemplate,
  placeholdersOf,
} from './render';
import { noticeValues } from './values';

const caseFile = (overrides: Partial<CaseFile> = {}): CaseFile => ({
  child: {
    id: 42,
    givenNames: 'Ana <b>Lucía</b>',
    surnames: 'Pérez & "Ruiz"',
    dob: '2010-01-02',
    sex: 'F',
    country: 'GT',
    aNumber: '123456789',
    orrId: 'UC1',
  },
  state: { status: 'hearing_scheduled', nextHearingAt: '2026-03-04T00:00:00.000Z' },
  fieldOfficeCode: 'HOU',
  protected1367: false,
  addresses: [
    {
      role: 'current',
      written: '4010 Walnut Ave, Houston TX 77085',
      deliveryLine: '4010 WALNUT AVE',
      lastLine: 'HOUSTON TX 77085',
      verdict: 'missing_unit',
      reasons: [],
    },
  ],
  sponsor: { name: 'Rosa <script>alert(1)</script>', relationship: 'aunt', category: 2, phone: null },
  records: [],
  alerts: [],
  tasks: [],
  timeline: [
    {
      type: 'hearing_scheduled',
      occurredAt: '2025-12-01T00:00:00.000Z',
      source: 'eoir',
      sourceKey: 'E1',
      data: { court: 'HOU', hearing_date: '2026-03-04' },
    },
  ],
  ...overrides,
});

describe('notices', () => {
  it('has every notice in English and Spanish, each language naming the same facts', () => {
    for (const kind of NOTICE_KINDS) {
      const english = placeholdersOf(noticeTemplate(kind, 'en')).sort();
      expect(english.length).toBeGreaterThan(2);
      expect(placeholdersOf(noticeTemplate(kind, 'es')).sort()).toEqual(english);
    }
  });

  it('fills every placeholder of every notice from a case file, leaving none behind', () => {
    for (const kind of NOTICE_KINDS) {
      for (const lang of NOTICE_LANGUAGES) {
        const page = noticeValues(caseFile(), kind, lang, true, new Date('2026-02-01T12:00:00Z'));
        if (!('html' in page)) throw new Error(page.problem);
        expect(page.html, `${kind}.${lang}`).not.toMatch(/\{\{|\}\}/);
        expect(page.html).toContain(`<html lang="${lang}">`);
        expect(page.html).toContain('A-123-456-789');
      }
    }
  });

  it('writes the dates and the address problem in the notice’s language', () => {
    const at = new Date('2026-02-01T12:00:00Z');
    const spanish = noticeValues(caseFile(), 'hearing_reminder', 'es', true, at) as { html: string };
    expect(spanish.html).toContain('4 de marzo de 2026');
    expect(spanish.html).toContain('código de la corte HOU');
    const english = noticeValues(caseFile(), 'hearing_reminder', 'en', true, at) as { html: string };
    expect(english.html).toContain('March 4, 2026');
    const request = noticeValues(caseFile(), 'address_confirmation', 'es', true, at) as { html: string };
    expect(request.html).toContain('falta el número de apartamento');
    expect(request.html).toContain('WA-42-20260201');
  });

  it('escapes names and addresses, so a record cannot put markup on the printed page', () => {
    const page = noticeValues(caseFile(), 'address_confirmation', 'en', true) as { html: string };
    expect(page.html).not.toContain('<script>');
    expect(page.html).toContain('Rosa &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.html).toContain('Ana &lt;b&gt;Lucía&lt;/b&gt; Pérez &amp; &quot;Ruiz&quot;');
  });

  it('leaves the sponsor’s name out for a role that may not see the sponsor', () => {
    const page = noticeValues(caseFile(), 'address_confirmation', 'es', false) as { html: string };
    expect(page.html).not.toContain('Rosa');
    expect(page.html).toContain('La persona que patrocina a Ana');
  });

  it('refuses a hearing reminder when no hearing is scheduled', () => {
    const file = caseFile({ state: { status: 'released', nextHearingAt: null } });
    expect(noticeValues(file, 'hearing_reminder', 'en', true)).toEqual({
      problem: expect.stringContaining('No hearing is scheduled'),
    });
  });

  it('names the placeholders a template is missing values for', () => {
    expect(() => fillTemplate('<p>{{child_name}} {{hearing_date}}</p>', { child_name: 'Ana' })).toThrow(
      'The notice template needs hearing_date',
    );
  });

  it('puts any value in as text: no tag, quote or entity survives escaping', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const filled = fillTemplate('<p title="{{v}}">{{v}}</p>', { v: value });
        expect(filled).toBe(`<p title="${escapeHtml(value)}">${escapeHtml(value)}</p>`);
        const decoded = escapeHtml(value)
          .replaceAll('&lt;', '<')
          .replaceAll('&gt;', '>')
          .replaceAll('&quot;', '"')
          .replaceAll('&#39;', "'")
          .replaceAll('&amp;', '&');
        expect(decoded).toBe(value);
        expect(escapeHtml(value)).not.toMatch(/[<>"']/);
      }),
    );
  });
});
