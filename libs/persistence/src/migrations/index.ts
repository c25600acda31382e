import { CreateCanonicalTables1795305600000 } from './1795305600000-CreateCanonicalTables';
import { CreatePlatformTables1795305600001 } from './1795305600001-CreatePlatformTables';
import { CreateDemandHistory1795305600002 } from './1795305600002-CreateDemandHistory';
import { CreateTransportClaim1795305600100 } from '../transport/1795305600100-CreateTransportClaim';
import { CreateRecommendation1795305600200 } from '../planning/1795305600200-CreateRecommendation';
import { CreateDataQualityTables1795305600300 } from '../dq/1795305600300-CreateDataQualityTables';
import { CreateEdiTables1795305600400 } from '../edi/1795305600400-CreateEdiTables';
import { CreateInvoiceAndAdjustmentTables1795305600500 } from '../canonical/1795305600500-CreateInvoiceAndAdjustmentTables';
import { CreateEdiPartner1795305600510 } from '../edi/1795305600510-CreateEdiPartner';
import { CreateEdiAlertAndOutboundDocument1795305600520 } from '../edi/1795305600520-CreateEdiAlertAndOutboundDocument';
import { ChainEventsAndOutboxJobIndex1795305600530 } from '../edi/1795305600530-ChainEventsAndOutboxJobIndex';
import { ShipmentOrderReference1795305600540 } from '../canonical/1795305600540-ShipmentOrderReference';
import { ChainOrderKind1795305600550 } from '../edi/1795305600550-ChainOrderKind';
import { HeldRecordReleaseReason1795305600600 } from '../dq/1795305600600-HeldRecordReleaseReason';
import { CreateEdiDiscrepancy1795305600560 } from '../edi/1795305600560-CreateEdiDiscrepancy';

/** Every migration, oldest first. A new migration is a new file plus one line here. */
export const MIGRATIONS = [
  CreateCanonicalTables1795305600000,
  CreatePlatformTables1795305600001,
  CreateDemandHistory1795305600002,
  CreateTransportClaim1795305600100,
  CreateRecommendation1795305600200,
  CreateDataQualityTables1795305600300,
  CreateEdiTables1795305600400,
  CreateInvoiceAndAdjustmentTables1795305600500,
  CreateEdiPartner1795305600510,
  CreateEdiAlertAndOutboundDocument1795305600520,
  ChainEventsAndOutboxJobIndex1795305600530,
  ShipmentOrderReference1795305600540,
  ChainOrderKind1795305600550,
  CreateEdiDiscrepancy1795305600560,
  HeldRecordReleaseReason1795305600600,
];
