export { CreateDataQualityTables1795305600300 } from './1795305600300-CreateDataQualityTables';
export { HeldRecordReleaseReason1795305600600 } from './1795305600600-HeldRecordReleaseReason';
export {
  AuditRepository,
  DqHoldRepository,
  DqIssueRepository,
  HeldRecordRepository,
  EVERY_LOCATION,
} from './dq.repositories';
export type {
  ActiveHold,
  AuditEvent,
  DqIssueCounts,
  DqIssueQuery,
  DqIssueWrite,
  HeldRecordReasonUpdate,
  HeldRecordWrite,
  PlanningHoldWrite,
  StoredDqIssue,
  StoredHeldRecord,
  StoredPlanningHold,
} from './dq.repositories';
export { MasterDataReader, REFERENCE_AREAS, ReferenceTableRepository } from './reference-data.repositories';
export type {
  MasterConversion,
  MasterCrossRef,
  MasterItem,
  MasterLocation,
  MasterLocationCrossRef,
  MasterParty,
  ReferenceArea,
  ReferenceEpochs,
  ReferenceVersionWrite,
  StoredReferenceVersion,
} from './reference-data.repositories';
