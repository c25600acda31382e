export { CreateRecommendation1795305600200 } from './1795305600200-CreateRecommendation';
export { PlanningReader } from './planning-reader';
export type {
  PlanningSnapshot,
  PlanningReadOptions,
  PlanningItemRow,
  PlanningSupplierItemRow,
  PlanningBalanceRow,
  PlanningOpenPoLineRow,
  PlanningOpenSoLineRow,
  PlanningReceiptRow,
} from './planning-reader';
export { RecommendationRepository, sqlTimestamp } from './recommendation.repository';
export type {
  RecommendationDraft,
  WithheldDraft,
  StoredRecommendation,
  StoredRecommendationDetail,
  StoredWithheld,
  RecommendationQuery,
  RecommendationPage,
  ReplaceOptions,
  ReplaceOutcome,
} from './recommendation.repository';
