// Ingest: every agency feed into the record store — validated, versioned, never lost — with events and state.
export { type Batch, listRejections, type RejectionRow } from './ingest.repository';
export {
  type BatchSummary,
  CHUNK_ROWS,
  type IngestOptions,
  ingestFile,
  recognizeFiles,
  settleIngest,
} from './ingest.service';
export { listFeedFiles } from './read-feed';
