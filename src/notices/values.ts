import type { CaseFile } from '../cases/case-file.repository';
import {
  addressProblem,
  type NoticeKind,
  type NoticeLanguage,
  noticeDate,
  noticePage,
  UNKNOWN,
} from './render';

const ADDRESSEE: Record<NoticeLanguage, (child: string, sponsor: string | undefined) => string> = {
  en: (child, sponsor) => (sponsor ? `${sponsor}, sponsor of ${child}` : `The sponsor of ${child}`),
  es: (child, sponsor) =>
    sponsor ? `${sponsor}, patrocinador(a) de ${child}` : `La persona que patrocina a ${child}`,
};
const COURT: Record<NoticeLanguage, (code: string) => string> = {
  en: (code) => `court code ${code}`,
  es: (code) => `código de la corte ${code}`,
};

/** A-numbers as printed on court papers: A-123-456-789. */
const printedANumber = (value: string | null) =>
  value && /^\d{9}$/.test(value) ? `A-${value.slice(0, 3)}-${value.slice(3, 6)}-${value.slice(6)}` : value;

/**
 * The facts a notice prints, taken from the child's case file; the caller has checked that the person may see
 * them. A hearing reminder for a child with no hearing scheduled is a problem to report, not a blank letter.
 */
export function noticeValues(
  file: CaseFile,
  kind: NoticeKind,
  lang: NoticeLanguage,
  mayShowSponsor: boolean,
  today = new Date(),
): { html: string } | { problem: string } {
  const unknown = UNKNOWN[lang];
  const name = [file.child.givenNames, file.child.surnames].filter(Boolean).join(' ') || unknown;
  const current = file.addresses.find((address) => address.role === 'current');
  const address = current
    ? [current.deliveryLine, current.lastLine].filter(Boolean).join(', ') || current.written
    : unknown;
  const common = {
    today: noticeDate(today, lang),
    child_name: name,
    a_number: printedANumber(file.child.aNumber) ?? unknown,
    address,
  };
  if (kind === 'hearing_reminder') {
    const hearingAt = file.state?.nextHearingAt as Date | string | null | undefined;
    if (!hearingAt)
      return { problem: 'No hearing is scheduled for this child: there is nothing to remind of.' };
    const court = [...file.timeline]
      .reverse()
      .map((event) =>
        event.type === 'venue_changed'
          ? event.data.new_court
          : event.type === 'hearing_scheduled'
            ? event.data.court
            : undefined,
      )
      .find((code): code is string => typeof code === 'string' && code !== '');
    return {
      html: noticePage(kind, lang, {
        ...common,
        hearing_date: noticeDate(hearingAt, lang),
        court: court ? COURT[lang](court) : unknown,
      }),
    };
  }
  const sponsor = mayShowSponsor ? file.sponsor?.name : undefined;
  return {
    html: noticePage(kind, lang, {
      ...common,
      addressee: ADDRESSEE[lang](name, sponsor || undefined),
      address_problem: addressProblem(current?.verdict ?? null, lang),
      reference: `WA-${file.child.id}-${today.toISOString().slice(0, 10).replaceAll('-', '')}`,
    }),
  };
}
