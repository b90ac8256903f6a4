/**
 * Printable notices for the child or the sponsor, from the child's case: each opens a page to print in English or
 * Spanish (GET /api/v1/children/:id/notices/:kind; the server fills it from the record and audits the print).
 */
const NOTICES = [
  { kind: 'hearing_reminder', label: 'Hearing reminder', needsHearing: true },
  { kind: 'address_confirmation', label: 'Address confirmation request', needsHearing: false },
] as const;

export function NoticeLinks({ childId, hasHearing }: { childId: number; hasHearing: boolean }) {
  return (
    <section className="margin-top-4" aria-label="Notices to print">
      <h2>Notices to print</h2>
      <p>
        Letters for the child or the sponsor, filled in from this record. Each print is recorded in the audit
        log.
      </p>
      <ul className="usa-list">
        {NOTICES.map((notice) =>
          notice.needsHearing && !hasHearing ? (
            <li key={notice.kind}>{notice.label}: no hearing is scheduled.</li>
          ) : (
            <li key={notice.kind}>
              {notice.label}:{' '}
              <a
                href={`/api/v1/children/${childId}/notices/${notice.kind}?lang=en`}
                target="_blank"
                rel="noopener"
              >
                English
              </a>{' '}
              ·{' '}
              <a
                href={`/api/v1/children/${childId}/notices/${notice.kind}?lang=es`}
                target="_blank"
                rel="noopener"
                hrefLang="es"
              >
                Español
              </a>
            </li>
          ),
        )}
      </ul>
    </section>
  );
}
