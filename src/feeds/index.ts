// Feed formats: the contracts for every file and HTTP delivery an agency sends (see docs/feeds.md).
export type { FeedFormat, FeedSource } from './feed-format';
export { FEED_SOURCES } from './feed-format';
