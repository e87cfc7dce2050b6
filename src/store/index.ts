export { MetadataStore } from './MetadataStore';
export type { StoreOptions, SubjectSnapshot, SubscriptionRecord } from './MetadataStore';
export { SubjectLocks } from './subjectLocks';
