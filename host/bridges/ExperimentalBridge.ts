import { ExperimentalBridge } from '@rocket.chat/apps-engine/server/bridges/ExperimentalBridge';

/** No experimental features in 1.62's bridge. */
export class HostExperimentalBridge extends ExperimentalBridge {}
