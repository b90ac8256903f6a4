// Notices: printable letters for a child or a sponsor (hearing reminder, address confirmation) in English and
// Spanish, from template files with escaped placeholders; served from a child's case (notices.routes.ts).
export { NOTICE_KINDS, NOTICE_LANGUAGES, type NoticeKind, type NoticeLanguage } from './render';
