export { ErpRestConnector } from './erp-rest.connector';
export { ErpRestConnectorModule } from './erp-rest.module';
export { ErpRestConfig } from './erp-rest.config';
export { ERP_REST_MANIFEST } from './manifest';
export { ErpRestError, type ErpRestErrorKind } from './errors';
export { SHIPPED_PROFILES, profileByName, validateProfile } from './profiles';
export type {
  ErpRestProfile,
  StreamProfile,
  FieldRule,
  PaginationSpec,
  DeltaSpec,
  AuthKind,
} from './profile';
export { decodeCursor, encodeCursor, type DeltaCursorState } from './delta-cursor';
export { ConnectionGate, gateFor } from './http/connection-gate';
export { parseRetryAfter } from './http/retry-after';
