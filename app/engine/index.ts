/**
 * The public surface of the sync engine. A replica implements `ReplicaAdapter` (detect local changes, read and
 * write unit values) and gets a full `KnowledgeSyncProvider` from `MetadataSyncProvider` over a
 * `MetadataStore`; `synchronize` runs a session between two providers. See ARCHITECTURE.md in this folder.
 */
export type { ChangeBatch, FullEnumerationBatch, ItemRecord, UnitRecord, WorkEstimate } from './changeBatch.ts';
export type { ReplicaWrite } from './changeApplier.ts';
export type { WriteFailure } from './decisionLog.ts';
export * from './errors.ts';
export { assertIdFormatsMatch, DEFAULT_ID_FORMATS, idSources, isReplicaId, newItemId, parseReplicaId, type IdSources, type ChangeUnitId, type IdFormats, type ItemId, type ReplicaId } from './ids.ts';
export { Knowledge, type ItemException, type RangeException } from './knowledge.ts';
export { decodeKnowledge, encodeKnowledge, knowledgeFromBase64, knowledgeToBase64 } from './knowledgeCodec.ts';
export { LocalChangeTracker, type ObservedRename } from './localChangeTracker.ts';
export { MemoryReplica } from './memoryReplica.ts';
export { MetadataSyncProvider, type MetadataSyncProviderOptions, type ReplicaAdapter } from './metadataSyncProvider.ts';
export * from './provider.ts';
export { synchronize, type SyncDirection, type SyncLeg, type SyncProgress, type SyncResult, type SyncStage, type SynchronizeOptions } from './syncOrchestrator.ts';
export { compareVersions, conflictOrder, invertComparison, toGlobal, type GlobalVersion, type Version, type VersionComparison } from './version.ts';
export { MetadataStore, type OpenMetadataStoreOptions } from '../store/metadata/metadataStore.ts';
