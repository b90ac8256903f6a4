import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Notices meant for a child or a sponsor, in English and Spanish, from the template files beside this module
 * (templates/<kind>.<lang>.html). A template names its facts as `{{placeholder}}`; every value is HTML-escaped
 * before it goes in, and a placeholder without a value is an error, never an empty gap on a printed letter.
 */
export const NOTICE_KINDS = ['hearing_reminder', 'address_confirmation'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export const NOTICE_LANGUAGES = ['en', 'es'] as const;
export type NoticeLanguage = (typeof NOTICE_LANGUAGES)[number];

const TEMPLATES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'templates');
const PLACEHOLDER = /\{\{([a-z_]+)\}\}/g;

export function noticeTemplate(kind: NoticeKind, lang: NoticeLanguage): string {
  return fs.readFileSync(path.join(TEMPLATES, `${kind}.${lang}.html`), 'utf8');
}

/** The placeholders a template names, each once. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1]!))];
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => ESCAPES[character]!);

/** Fills every placeholder with its escaped value; throws naming the placeholders left without one. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  const missing = placeholdersOf(template).filter((name) => values[name] === undefined);
  if (missing.length > 0) throw new Error(`The notice template needs ${missing.join(', ')}`);
  return template.replace(PLACEHOLDER, (_, name: string) => escapeHtml(values[name]!));
}

const TITLES: Record<NoticeKind, Record<NoticeLanguage, string>> = {
  hearing_reminder: { en: 'Hearing reminder', es: 'Recordatorio de audiencia' },
  address_confirmation: { en: 'Address confirmation request', es: 'Solicitud de confirmación de dirección' },
};

/** A whole printable page around a filled notice: one language, print-friendly, no script. */
export function noticePage(kind: NoticeKind, lang: NoticeLanguage, values: Record<string, string>): string {
  const body = fillTemplate(noticeTemplate(kind, lang), values);
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(TITLES[kind][lang])}</title>
<style>
body { font-family: Georgia, serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1b1b1b; }
h1 { font-size: 1.5rem; }
@media print { body { margin: 0; } }
</style>
</head>
<body>
<main>
${body}</main>
</body>
</html>
`;
}

/** What is wrong with an address, in words for the person who receives the notice (docs/addresses.md). */
const ADDRESS_PROBLEMS: Record<string, Record<NoticeLanguage, string>> = {
  missing: {
    en: 'We have no usable address for the child.',
    es: 'No tenemos una dirección válida del menor.',
  },
  incomplete: {
    en: 'Part of this address is missing (house number, street, city, state or ZIP code).',
    es: 'A esta dirección le falta una parte (número de casa, calle, ciudad, estado o código postal).',
  },
  zip_mismatch: {
    en: 'The ZIP code does not match the city or state of this address.',
    es: 'El código postal no corresponde a la ciudad o al estado de esta dirección.',
  },
  po_box: {
    en: 'This is a post office box; we need the address where the child lives.',
    es: 'Esta es una casilla postal; necesitamos la dirección donde vive el menor.',
  },
  general_delivery: {
    en: 'This is a general delivery address; we need the address where the child lives.',
    es: 'Esta es una dirección de entrega general; necesitamos la dirección donde vive el menor.',
  },
  non_residential: {
    en: 'This address appears to be a business or an office, not a home.',
    es: 'Esta dirección parece ser de un negocio o una oficina, no de una vivienda.',
  },
  returned_mail: {
    en: 'Mail sent to this address was returned to us.',
    es: 'El correo enviado a esta dirección nos fue devuelto.',
  },
  missing_unit: {
    en: 'This building has several apartments, and the apartment or unit number is missing.',
    es: 'Este edificio tiene varios apartamentos y falta el número de apartamento o de unidad.',
  },
  shared_by_many: {
    en: 'Many people are registered at this address; please confirm that the child lives here.',
    es: 'Hay muchas personas registradas en esta dirección; por favor, confirme que el menor vive aquí.',
  },
  deliverable_likely: {
    en: 'Please confirm that this address is still correct.',
    es: 'Por favor, confirme que esta dirección sigue siendo correcta.',
  },
};

export function addressProblem(verdict: string | null, lang: NoticeLanguage): string {
  return (ADDRESS_PROBLEMS[verdict ?? 'missing'] ?? ADDRESS_PROBLEMS.deliverable_likely!)[lang];
}

/** Dates as the reader writes them: "March 4, 2025" / "4 de marzo de 2025". */
export function noticeDate(value: Date | string, lang: NoticeLanguage): string {
  return new Date(value).toLocaleDateString(lang === 'es' ? 'es-US' : 'en-US', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

/** Words for a fact the records do not have, in the notice's language. */
export const UNKNOWN: Record<NoticeLanguage, string> = { en: 'not on record', es: 'no consta' };
