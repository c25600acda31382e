/**
 * A synthetic wholesale distributor: items, suppliers with lead-time variability, warehouses,
 * customers with service tiers, two years of daily demand, receipts, open purchase and sales orders.
 * Deterministic for a seed, streamed through a sink so 180,000 SKUs never sit in memory at once.
 */
import type {
  Customer,
  InventoryBalance,
  Item,
  Location,
  PurchaseOrder,
  Receipt,
  SalesOrder,
  Supplier,
  SupplierItem,
  UomConversion,
} from '@crossdock/domain';
import { SeededRandom } from './random';

export interface SyntheticOptions {
  seed: number;
  skuCount: number;
  warehouseCount: number;
  supplierCount: number;
  customerCount: number;
  historyDays: number;
  /** Last day of history (ISO date); history covers the `historyDays` days up to and including it. */
  asOf: string;
  sourceConnection: string;
}

export const DEFAULT_SYNTHETIC_OPTIONS: SyntheticOptions = {
  seed: 42,
  skuCount: 500,
  warehouseCount: 5,
  supplierCount: 25,
  customerCount: 60,
  historyDays: 730,
  asOf: '2026-10-31',
  sourceConnection: 'synthetic',
};

/** One item-location's daily demand; `quantities[i]` is the demand of `startDate + i` days. */
export interface DemandSeries {
  sku: string;
  locationCode: string;
  startDate: string;
  quantities: Int32Array;
}

export interface SyntheticSink {
  locations(records: Location[]): void;
  suppliers(records: Supplier[]): void;
  customers(records: Customer[]): void;
  items(records: Item[]): void;
  uomConversions(records: UomConversion[]): void;
  supplierItems(records: SupplierItem[]): void;
  inventoryBalances(records: InventoryBalance[]): void;
  demand(series: DemandSeries): void;
  receipts(records: Receipt[]): void;
  purchaseOrders(records: PurchaseOrder[]): void;
  salesOrders(records: SalesOrder[]): void;
}

const DAY_MS = 86_400_000;
const CATEGORIES = ['Fasteners', 'Electrical', 'Plumbing', 'Safety', 'Janitorial', 'Packaging', 'Tools', 'HVAC'];
const NOUNS = ['Bolt', 'Cable', 'Valve', 'Glove', 'Cleaner', 'Carton', 'Drill bit', 'Filter', 'Hinge', 'Tape'];
const ADJECTIVES = ['Heavy-duty', 'Stainless', 'Galvanised', 'Industrial', 'Compact', 'Premium', 'Economy'];

export function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

interface SupplierProfile {
  code: string;
  quoted: number;
  trueMean: number;
  trueSd: number;
}

type Regime = 'smooth' | 'erratic' | 'intermittent' | 'lumpy';

export function generateDistributor(partial: Partial<SyntheticOptions>, sink: SyntheticSink): void {
  const options = { ...DEFAULT_SYNTHETIC_OPTIONS, ...partial };
  const random = new SeededRandom(options.seed);
  const lineage = (id: string) => ({ sourceConnection: options.sourceConnection, sourceRecordId: id });
  const startDate = addDays(options.asOf, -(options.historyDays - 1));

  const warehouses: Location[] = [];
  for (let w = 1; w <= options.warehouseCount; w++) {
    const code = `WH${w}`;
    warehouses.push({ code, name: w === 1 ? 'Central hub' : `Branch ${w}`, kind: 'warehouse', lineage: lineage(code) });
  }
  sink.locations(warehouses);

  const suppliers: SupplierProfile[] = [];
  const supplierRecords: Supplier[] = [];
  for (let s = 1; s <= options.supplierCount; s++) {
    const code = `SUP${pad(s, 4)}`;
    const quoted = random.pick([5, 7, 10, 14, 21, 28, 35, 45]);
    // Real lead times run longer than quoted and vary: the engine has to learn them from receipts.
    const trueMean = Math.round(quoted * (1 + random.next() * 0.8));
    const trueSd = Math.max(1, trueMean * (0.1 + random.next() * 0.3));
    suppliers.push({ code, quoted, trueMean, trueSd });
    supplierRecords.push({
      code,
      name: `${random.pick(ADJECTIVES)} Supply ${s}`,
      quotedLeadTimeDays: quoted,
      currency: 'USD',
      duns: pad(100_000_000 + s * 7919, 9),
      lineage: lineage(code),
    });
  }
  sink.suppliers(supplierRecords);

  const customers: Customer[] = [];
  for (let c = 1; c <= options.customerCount; c++) {
    const code = `CUST${pad(c, 5)}`;
    const serviceTier = c <= options.customerCount * 0.15 ? 'A' : c <= options.customerCount * 0.5 ? 'B' : 'C';
    customers.push({
      code,
      name: `Customer ${c}`,
      serviceTier,
      slaHours: { A: 24, B: 48, C: 72 }[serviceTier],
      lineage: lineage(code),
    });
  }
  sink.customers(customers);

  const lastDay = options.historyDays - 1;
  let poCounter = 0;
  let soCounter = 0;
  let receiptCounter = 0;
  const chunk = 1000;
  for (let first = 1; first <= options.skuCount; first += chunk) {
    const items: Item[] = [];
    const conversions: UomConversion[] = [];
    const supplierItems: SupplierItem[] = [];
    const balances: InventoryBalance[] = [];
    const receipts: Receipt[] = [];
    const purchaseOrders: PurchaseOrder[] = [];
    const salesOrders: SalesOrder[] = [];
    for (let n = first; n < first + chunk && n <= options.skuCount; n++) {
      const sku = `SKU${pad(n, 6)}`;
      const unitCost = Math.round((1 + random.gamma(1.5, 12)) * 100) / 100;
      const listPrice = Math.round(unitCost * (1.15 + random.next() * 0.6) * 100) / 100;
      items.push({
        sku,
        description: `${random.pick(ADJECTIVES)} ${random.pick(NOUNS)} ${pad(n, 6)}`,
        baseUom: 'EA',
        category: random.pick(CATEGORIES),
        unitCost,
        listPrice,
        currency: 'USD',
        active: true,
        lineage: lineage(sku),
      });
      const caseSize = random.pick([6, 12, 24, 48]);
      const casesPerPallet = random.pick([20, 40, 60]);
      conversions.push(
        { sku, fromUom: 'CA', toUom: 'EA', factor: String(caseSize), lineage: lineage(`${sku}:CA`) },
        { sku, fromUom: 'PL', toUom: 'CA', factor: String(casesPerPallet), lineage: lineage(`${sku}:PL`) },
      );
      const supplier = suppliers[(n * 7) % suppliers.length];
      supplierItems.push({
        supplierCode: supplier.code,
        sku,
        supplierPart: `${supplier.code}-${pad(n * 13, 7)}`,
        moq: caseSize * random.pick([1, 2, 4]),
        packSize: caseSize,
        leadTimeDays: supplier.quoted,
        unitPrice: unitCost,
        currency: 'USD',
        primary: true,
        lineage: lineage(`${supplier.code}:${sku}`),
      });

      const regime: Regime = random.pick(['smooth', 'smooth', 'smooth', 'erratic', 'intermittent', 'intermittent', 'lumpy']);
      const baseRate = regime === 'smooth' ? 2 + random.gamma(2, 4) : regime === 'erratic' ? 1 + random.gamma(1, 4) : 0.3 + random.next() * 1.5;
      const occurrence = regime === 'intermittent' || regime === 'lumpy' ? 0.08 + random.next() * 0.3 : 1;
      const seasonal = random.next() < 0.3 ? 0.2 + random.next() * 0.4 : 0;
      const seasonPhase = random.next() * 2 * Math.PI;
      for (let w = 0; w < warehouses.length; w++) {
        const locationCode = warehouses[w].code;
        const share = w === 0 ? 0.35 : 0.65 / Math.max(1, warehouses.length - 1);
        const quantities = new Int32Array(options.historyDays);
        let total = 0;
        for (let d = 0; d < options.historyDays; d++) {
          const weekday = (d + 3) % 7;
          const weekFactor = weekday >= 5 ? 0.12 : 1;
          const season = 1 + seasonal * Math.sin((2 * Math.PI * d) / 365 + seasonPhase);
          if (random.next() > occurrence) continue;
          const rate = (baseRate * share * weekFactor * season) / occurrence;
          const quantity = regime === 'lumpy' || regime === 'erratic' ? Math.round(random.gamma(0.8, rate / 0.8)) : random.poisson(rate);
          quantities[d] = quantity;
          total += quantity;
        }
        sink.demand({ sku, locationCode, startDate, quantities });
        const meanDaily = total / options.historyDays;
        const onHand = Math.max(0, Math.round(meanDaily * (supplier.trueMean * (0.3 + random.next() * 1.2))));
        balances.push({
          sku,
          locationCode,
          onHand,
          allocated: Math.round(onHand * 0.1 * random.next()),
          backordered: random.next() < 0.03 ? random.int(1, 10) : 0,
          inTransit: 0,
          asOf: `${options.asOf}T23:00:00Z`,
          lineage: lineage(`${sku}@${locationCode}`),
        });

        // Two past receipts per item-location, with realised lead times drawn from the true distribution.
        for (let r = 0; r < 2; r++) {
          const leadTime = Math.max(1, Math.round(random.normal(supplier.trueMean, supplier.trueSd)));
          const orderDay = random.int(0, lastDay - leadTime);
          const receiptId = `RCV${pad(++receiptCounter, 8)}`;
          receipts.push({
            receiptId,
            supplierCode: supplier.code,
            sku,
            locationCode,
            quantity: Math.max(caseSize, Math.round(meanDaily * 30 / caseSize) * caseSize),
            orderDate: addDays(startDate, orderDay),
            receivedDate: addDays(startDate, orderDay + leadTime),
            lineage: lineage(receiptId),
          });
        }
        if (random.next() < 0.35) {
          const poNumber = `PO${pad(++poCounter, 8)}`;
          const orderDay = lastDay - random.int(1, supplier.quoted);
          purchaseOrders.push({
            poNumber,
            supplierCode: supplier.code,
            locationCode,
            status: 'sent',
            orderDate: addDays(startDate, orderDay),
            currency: 'USD',
            lines: [
              {
                lineNo: 1,
                sku,
                quantity: Math.max(caseSize, Math.ceil((meanDaily * 30) / caseSize) * caseSize),
                uom: 'EA',
                unitPrice: unitCost,
                dueDate: addDays(startDate, orderDay + supplier.quoted),
                receivedQuantity: 0,
              },
            ],
            lineage: lineage(poNumber),
          });
        }
        if (meanDaily > 0 && random.next() < 0.5) {
          const soNumber = `SO${pad(++soCounter, 8)}`;
          const customer = random.pick(customers);
          salesOrders.push({
            soNumber,
            customerCode: customer.code,
            locationCode,
            status: 'open',
            orderDate: options.asOf,
            lines: [
              {
                lineNo: 1,
                sku,
                quantity: Math.max(1, Math.round(meanDaily * (1 + random.next() * 4))),
                uom: 'EA',
                unitPrice: listPrice,
                unitCost,
                promisedDate: addDays(options.asOf, { A: 1, B: 2, C: 3 }[customer.serviceTier]),
                shippedQuantity: 0,
              },
            ],
            lineage: lineage(soNumber),
          });
        }
      }
    }
    sink.items(items);
    sink.uomConversions(conversions);
    sink.supplierItems(supplierItems);
    sink.inventoryBalances(balances);
    sink.receipts(receipts);
    sink.purchaseOrders(purchaseOrders);
    sink.salesOrders(salesOrders);
  }
}
