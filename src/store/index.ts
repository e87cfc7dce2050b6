export { MetadataStore } from './MetadataStore';
export type { StoreOptions, SubjectSnapshot, SubscriptionRecord } from './MetadataStore';
export type { PurgeReport } from './purge';
export { SubjectLocks } from './subjectLocks';
