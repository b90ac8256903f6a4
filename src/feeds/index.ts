// Feed formats: the contracts for every file and HTTP delivery an agency sends (see docs/feeds.md).
import { eoirCaseEventsV1 } from './eoir.feeds';
import type { FeedFormat } from './feed-format';
import { iceApprehensionsV1, iceNoticesToAppearV1 } from './ice.feeds';
import { mailReturnsV1 } from './mail.feeds';
import { orrPostReleaseV1, orrReleasesV1 } from './orr.feeds';
import { tipsV1 } from './tips.feeds';

export * from './eoir.feeds';
export type { FeedFormat, FeedSource } from './feed-format';
export { FEED_SOURCES } from './feed-format';
export { normalizeANumber } from './fields';
export * from './ice.feeds';
export * from './mail.feeds';
export * from './orr.feeds';
export * from './tips.feeds';

export const FEED_FORMATS: readonly FeedFormat[] = [
  iceApprehensionsV1,
  iceNoticesToAppearV1,
  orrReleasesV1,
  orrPostReleaseV1,
  eoirCaseEventsV1,
  mailReturnsV1,
  tipsV1,
] as unknown as readonly FeedFormat[];

/**
 * The format of a delivered file, from its name and its first line: a CSV's header must be the format's
 * columns exactly (after a byte-order mark, if any); a JSON Lines file's first line must parse as an object.
 */
export function recognizeFeed(fileName: string, firstLine: string): FeedFormat | undefined {
  const baseName = fileName.split(/[\\/]/).pop() ?? fileName;
  const line = firstLine.replace(/^\uFEFF/, '').replace(/\r$/, '');
  return FEED_FORMATS.find((format) => {
    if (!format.fileNamePattern.test(baseName)) return false;
    if (format.encoding === 'csv') return line === format.columns.join(',');
    try {
      const first = JSON.parse(line) as unknown;
      return typeof first === 'object' && first !== null && !Array.isArray(first);
    } catch {
      return false;
    }
  });
}
