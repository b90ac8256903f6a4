// Authentication and authorization. So far: per-source API tokens for agency feed deliveries.
export { createFeedToken, feedTokenSource, listFeedTokens, revokeFeedToken } from './api-tokens';
