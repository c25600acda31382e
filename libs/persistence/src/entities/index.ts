import { InventoryAdjustmentEntity } from './inventory-adjustment.entity';
import { InventoryBalanceEntity } from './inventory-balance.entity';
import { InvoiceEntity, InvoiceLineEntity } from './invoice.entity';
import { ItemCrossRefEntity, ItemEntity } from './item.entity';
import { LocationCrossRefEntity, LocationEntity } from './location.entity';
import { CustomerEntity, SupplierEntity, SupplierItemEntity } from './party.entity';
import {
  ConnectionEntity,
  OutboxEntity,
  RejectedRecordEntity,
  StreamCursorEntity,
  SyncJobEntity,
  SyncRunEntity,
} from './platform.entity';
import { PurchaseOrderEntity, PurchaseOrderLineEntity } from './purchase-order.entity';
import { ReceiptEntity } from './receipt.entity';
import { SalesOrderEntity, SalesOrderLineEntity } from './sales-order.entity';
import { ShipmentEntity, ShipmentLineEntity } from './shipment.entity';
import { UomConversionEntity, UomEntity } from './uom.entity';
import { DemandPointEntity, DemandSeriesBlockEntity, DemandSeriesIndexEntity } from './demand-history.entity';

export * from './canonical-base.entity';
export * from './inventory-adjustment.entity';
export * from './inventory-balance.entity';
export * from './invoice.entity';
export * from './item.entity';
export * from './location.entity';
export * from './party.entity';
export * from './platform.entity';
export * from './purchase-order.entity';
export * from './receipt.entity';
export * from './sales-order.entity';
export * from './shipment.entity';
export * from './uom.entity';
export * from './demand-history.entity';

export const CANONICAL_ENTITIES = [
  ItemEntity,
  ItemCrossRefEntity,
  UomEntity,
  UomConversionEntity,
  LocationEntity,
  LocationCrossRefEntity,
  SupplierEntity,
  SupplierItemEntity,
  CustomerEntity,
  InventoryBalanceEntity,
  PurchaseOrderEntity,
  PurchaseOrderLineEntity,
  SalesOrderEntity,
  SalesOrderLineEntity,
  ReceiptEntity,
  ShipmentEntity,
  ShipmentLineEntity,
  InvoiceEntity,
  InvoiceLineEntity,
  InventoryAdjustmentEntity,
  DemandPointEntity,
  DemandSeriesBlockEntity,
  DemandSeriesIndexEntity,
];

export const PLATFORM_ENTITIES = [
  ConnectionEntity,
  SyncJobEntity,
  SyncRunEntity,
  StreamCursorEntity,
  RejectedRecordEntity,
  OutboxEntity,
];
