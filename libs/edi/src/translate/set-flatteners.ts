import type { SetObserver } from '../validation/set-validator.port';

/**
 * Flatteners turn a transaction set, segment by segment, into flat rows (one per line item) with
 * named fields; the mapping folders `mappings/x12-<set>-to-canonical` turn those rows into
 * canonical records. Rows leave as soon as their loop closes, so a large 846 never sits in memory.
 */

export type FlatRow = Record<string, string>;

export interface FlattenContext {
  /** Partner id, used as supplier or customer code and default location. */
  partnerId: string;
  emit(row: FlatRow): void;
}

export interface SetFlattener extends SetObserver {
  /** Called after SE (or when the set ends early) to flush the last open row. */
  end(): void;
}

export interface FlattenerDefinition {
  setId: string;
  /** The mapping folder that turns the rows into canonical records. */
  mapping: string;
  /** Rows must reach the mapping together (a grouped mapping, such as lines into one shipment). */
  wholeSet: boolean;
  create(context: FlattenContext): SetFlattener;
}

/** `CCYYMMDD` (or `YYMMDD`) to `YYYY-MM-DD`; anything else passes through for the mapping to reject. */
export function isoDate(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^\d{8}$/.test(value)) return `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
  if (/^\d{6}$/.test(value)) return `20${value.slice(0, 2)}-${value.slice(2, 4)}-${value.slice(4, 6)}`;
  return value;
}

const BUYER_QUALIFIERS = ['SK', 'BP', 'IN'];
const OTHER_QUALIFIERS = ['VN', 'VP', 'UP', 'UK', 'EN', 'MG'];

/** Picks our item id from qualifier/id pairs starting at `from` (LIN, PO1, W07 style). */
export function itemIdFrom(e: readonly string[], from: number): string | undefined {
  const pairs = new Map<string, string>();
  for (let i = from; i + 1 < e.length; i += 2)
    if (e[i] && e[i + 1] && !pairs.has(e[i])) pairs.set(e[i], e[i + 1]);
  for (const q of [...BUYER_QUALIFIERS, ...OTHER_QUALIFIERS]) {
    const value = pairs.get(q);
    if (value) return value;
  }
  return pairs.values().next().value;
}

function put(row: FlatRow, field: string, value: string | undefined): void {
  if (value !== undefined && value !== '') row[field] = value.trim();
}

const LOCATION_ENTITIES = new Set(['WH', 'ST', 'SF', 'DA', 'BT']);

/** 846 inventory advice: one row per LIN with the available quantity. */
/** Body segments the 846 flattener reads. */
const READS_846: ReadonlySet<string> = new Set(['BIA', 'N1', 'LIN', 'QTY']);

const flatten846: FlattenerDefinition = {
  setId: '846',
  mapping: 'x12-846-to-canonical',
  wholeSet: false,
  create({ partnerId, emit }) {
    let asOf: string | undefined;
    let headerLocation: string | undefined;
    let row: FlatRow | null = null;
    let inLines = false;
    const flush = (): void => {
      if (row) emit(row);
      row = null;
    };
    return {
      segmentIds: READS_846,
      segment(id, e) {
        switch (id) {
          case 'BIA':
            asOf = isoDate(e[4]);
            return;
          case 'N1':
            if (!inLines && LOCATION_ENTITIES.has(e[1]) && e[4]) headerLocation = e[4];
            if (inLines && row && LOCATION_ENTITIES.has(e[1]) && e[4]) row.location = e[4];
            return;
          case 'LIN':
            flush();
            inLines = true;
            row = {};
            put(row, 'sku', itemIdFrom(e, 2));
            put(row, 'location', headerLocation ?? `supplier-${partnerId}`);
            put(row, 'as_of', asOf);
            return;
          case 'QTY':
            if (row && (e[1] === '33' || e[1] === '17') && row.on_hand === undefined)
              put(row, 'on_hand', e[2]);
            return;
          case 'SE':
            flush();
            return;
        }
      },
      end: flush,
    };
  },
};

/** 856 ship notice: one row per item (LIN/SN1) under its shipment and order levels. */
/** Body segments the 856 flattener reads. */
const READS_856: ReadonlySet<string> = new Set(['BSN', 'HL', 'DTM', 'N1', 'PRF', 'LIN', 'SN1']);

const flatten856: FlattenerDefinition = {
  setId: '856',
  mapping: 'x12-856-to-canonical',
  wholeSet: true,
  create({ partnerId, emit }) {
    const shipment: FlatRow = { supplier_code: partnerId };
    let level = '';
    let poNumber: string | undefined;
    let item: FlatRow | null = null;
    const flush = (): void => {
      if (item) emit({ ...shipment, ...item });
      item = null;
    };
    return {
      segmentIds: READS_856,
      segment(id, e) {
        switch (id) {
          case 'BSN':
            put(shipment, 'shipment_id', e[2]);
            put(shipment, 'ship_date', isoDate(e[3]));
            return;
          case 'HL':
            flush();
            level = e[3] ?? '';
            if (level === 'O') poNumber = undefined;
            if (level === 'I') item = {};
            return;
          case 'DTM':
            if (level === 'S' || level === '') {
              if (e[1] === '011') put(shipment, 'ship_date', isoDate(e[2]));
              if (e[1] === '017' || e[1] === '067' || e[1] === '002')
                put(shipment, 'expected_arrival', isoDate(e[2]));
            }
            return;
          case 'N1':
            if (level === 'S' && e[1] === 'ST' && e[4]) put(shipment, 'to_location', e[4]);
            return;
          case 'PRF':
            poNumber = e[1];
            return;
          case 'LIN':
            if (!item) item = {};
            put(item, 'sku', itemIdFrom(e, 2));
            put(item, 'po_line_no', /^\d+$/.test(e[1] ?? '') ? e[1] : undefined);
            put(item, 'po_number', poNumber);
            return;
          case 'SN1':
            if (!item) item = {};
            put(item, 'quantity', e[2]);
            if (!item.po_number) put(item, 'po_number', poNumber);
            return;
          case 'SE':
            flush();
            return;
        }
      },
      end: flush,
    };
  },
};

/** 855 PO acknowledgment: one row per PO1 line with the supplier's acknowledged quantity and date. */
/** Body segments the 855 flattener reads. */
const READS_855: ReadonlySet<string> = new Set(['BAK', 'N1', 'PO1', 'ACK']);

const flatten855: FlattenerDefinition = {
  setId: '855',
  mapping: 'x12-855-to-canonical',
  wholeSet: true,
  create({ partnerId, emit }) {
    const header: FlatRow = { supplier_code: partnerId };
    let line: FlatRow | null = null;
    const flush = (): void => {
      if (line) emit({ ...header, ...line });
      line = null;
    };
    return {
      segmentIds: READS_855,
      segment(id, e) {
        switch (id) {
          case 'BAK':
            put(header, 'po_number', e[3]);
            put(header, 'order_date', isoDate(e[4]));
            put(header, 'ack_type', e[2]);
            return;
          case 'N1':
            if (!line && e[1] === 'ST' && e[4]) put(header, 'location', e[4]);
            return;
          case 'PO1':
            flush();
            line = {};
            put(line, 'line_no', e[1]);
            put(line, 'quantity', e[2]);
            put(line, 'uom', e[3]);
            put(line, 'unit_price', e[4]);
            put(line, 'sku', itemIdFrom(e, 6));
            return;
          case 'ACK':
            if (!line) return;
            put(line, 'line_status', e[1]);
            if (e[2]) line.quantity = e[2];
            if (e[5] && (e[4] === '068' || e[4] === '067' || e[4] === '017' || e[4] === '002'))
              put(line, 'due_date', isoDate(e[5]));
            return;
          case 'SE':
            flush();
            return;
        }
      },
      end: flush,
    };
  },
};

/** 944 warehouse stock transfer receipt advice: one row per W07 received line. */
/** Body segments the 944 flattener reads. */
const READS_944: ReadonlySet<string> = new Set(['W17', 'N1', 'W07']);

const flatten944: FlattenerDefinition = {
  setId: '944',
  mapping: 'x12-944-to-canonical',
  wholeSet: false,
  create({ partnerId, emit }) {
    const header: FlatRow = { supplier_code: partnerId };
    let lineNo = 0;
    return {
      segmentIds: READS_944,
      segment(id, e) {
        switch (id) {
          case 'W17':
            put(header, 'received_date', isoDate(e[2]));
            put(header, 'receipt_id', e[3]);
            put(header, 'po_number', e[4]);
            return;
          case 'N1':
            if ((e[1] === 'WH' || e[1] === 'ST') && e[4]) put(header, 'location', e[4]);
            if (e[1] === 'SU' && e[4]) put(header, 'supplier_code', e[4]);
            return;
          case 'W07': {
            lineNo++;
            const row: FlatRow = { ...header, line_no: String(lineNo) };
            put(row, 'quantity', e[1]);
            put(row, 'sku', itemIdFrom(e, 4) ?? e[3]);
            emit(row);
            return;
          }
        }
      },
      end() {},
    };
  },
};

/** 945 warehouse shipping advice: one row per W12 shipped line under the W06 shipment. */
/** Body segments the 945 flattener reads. */
const READS_945: ReadonlySet<string> = new Set(['W06', 'N1', 'W12']);

const flatten945: FlattenerDefinition = {
  setId: '945',
  mapping: 'x12-945-to-canonical',
  wholeSet: true,
  create({ emit }) {
    const header: FlatRow = {};
    return {
      segmentIds: READS_945,
      segment(id, e) {
        switch (id) {
          case 'W06':
            put(header, 'order_number', e[2]);
            put(header, 'ship_date', isoDate(e[3]));
            put(header, 'shipment_id', e[4] || e[2]);
            return;
          case 'N1':
            if (e[1] === 'ST' && e[4]) put(header, 'customer_code', e[4]);
            if ((e[1] === 'WH' || e[1] === 'SF') && e[4]) put(header, 'from_location', e[4]);
            return;
          case 'W12': {
            const row: FlatRow = { ...header };
            put(row, 'quantity', e[3] || e[2]);
            put(row, 'sku', itemIdFrom(e, 7) ?? e[6]);
            emit(row);
            return;
          }
        }
      },
      end() {},
    };
  },
};

/** 852 product activity: one row per quantity-sold (ZA*QS) figure with its date. */
/** Body segments the 852 flattener reads. */
const READS_852: ReadonlySet<string> = new Set(['XQ', 'N1', 'LIN', 'ZA']);

const flatten852: FlattenerDefinition = {
  setId: '852',
  mapping: 'x12-852-to-canonical',
  wholeSet: false,
  create({ partnerId, emit }) {
    let periodEnd: string | undefined;
    let location: string | undefined;
    let sku: string | undefined;
    return {
      segmentIds: READS_852,
      segment(id, e) {
        switch (id) {
          case 'XQ':
            periodEnd = isoDate(e[3] || e[2]);
            return;
          case 'N1':
            if (LOCATION_ENTITIES.has(e[1]) && e[4]) location = e[4];
            return;
          case 'LIN':
            sku = itemIdFrom(e, 2);
            return;
          case 'ZA':
            if (e[1] === 'QS' && sku) {
              const row: FlatRow = {};
              put(row, 'sku', sku);
              put(row, 'location', location ?? `customer-${partnerId}`);
              put(row, 'date', isoDate(e[5]) ?? periodEnd);
              put(row, 'quantity', e[2]);
              emit(row);
            }
            return;
        }
      },
      end() {},
    };
  },
};

/**
 * X12 `N2` amounts carry two implied decimals (`TDS*51200` is 512.00): the point is placed here, in
 * text, so no binary rounding creeps in; anything not a signed digit string passes through for the
 * mapping to reject.
 */
export function impliedTwoDecimals(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const match = /^(-?)(\d+)$/.exec(value);
  if (!match) return value;
  const digits = match[2].padStart(3, '0');
  return `${match[1]}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** 810 invoice: one row per IT1 line under its BIG header; the mapping groups them into one invoice. */
/** Body segments the 810 flattener reads. */
const READS_810: ReadonlySet<string> = new Set(['BIG', 'CUR', 'IT1', 'TDS']);

const flatten810: FlattenerDefinition = {
  setId: '810',
  mapping: 'x12-810-to-canonical',
  wholeSet: true,
  create({ partnerId, emit }) {
    const header: FlatRow = { supplier_code: partnerId };
    // TDS (the invoice total) follows the lines, so lines wait for it; an invoice is one set.
    const lines: FlatRow[] = [];
    return {
      segmentIds: READS_810,
      segment(id, e) {
        switch (id) {
          case 'BIG':
            put(header, 'invoice_date', isoDate(e[1]));
            put(header, 'invoice_number', e[2]);
            put(header, 'po_number', e[4]);
            return;
          case 'CUR':
            // CUR-01 names whose currency CUR-02 is; the seller's (SE) or an unqualified one prices the lines.
            if (e[2] && (e[1] === 'SE' || header.currency === undefined)) header.currency = e[2].trim();
            return;
          case 'IT1': {
            const line: FlatRow = { line_no: String(lines.length + 1) };
            // IT1-01 is the line's assigned id; suppliers echo the order line number there.
            put(line, 'po_line_no', /^\d+$/.test(e[1] ?? '') ? String(Number(e[1])) : undefined);
            put(line, 'quantity', e[2]);
            put(line, 'uom', e[3]);
            put(line, 'unit_price', e[4]);
            put(line, 'sku', itemIdFrom(e, 6));
            lines.push(line);
            return;
          }
          case 'TDS':
            put(header, 'total_amount', impliedTwoDecimals(e[1]));
            return;
        }
      },
      end() {
        for (const line of lines.splice(0)) emit({ ...header, ...line });
      },
    };
  },
};

/**
 * 947 warehouse inventory adjustment advice: one row per W19 adjusted item. W19-02 is the signed
 * credit/debit quantity (negative takes stock away), W19-01 the adjustment reason code.
 */
/** Body segments the 947 flattener reads. */
const READS_947: ReadonlySet<string> = new Set(['W15', 'N1', 'W19']);

const flatten947: FlattenerDefinition = {
  setId: '947',
  mapping: 'x12-947-to-canonical',
  wholeSet: false,
  create({ emit }) {
    const header: FlatRow = {};
    let lineNo = 0;
    return {
      segmentIds: READS_947,
      segment(id, e) {
        switch (id) {
          case 'W15':
            put(header, 'adjusted_date', isoDate(e[1]));
            put(header, 'adjustment_id', e[2]);
            return;
          case 'N1':
            if ((e[1] === 'WH' || e[1] === 'ST') && e[4]) put(header, 'location', e[4]);
            return;
          case 'W19': {
            lineNo++;
            const row: FlatRow = { ...header, line_no: String(lineNo) };
            put(row, 'reason', e[1]);
            put(row, 'quantity', e[2]);
            put(row, 'uom', e[3]);
            // Our item id from the qualifier/id pairs (W19-05..08, W19-17/18), else the U.P.C. case
            // code (W19-04); W19-09..16 are lot, weights and transaction type, not item ids.
            const pairs = [e[5], e[6], e[7], e[8], e[17], e[18]].map((value) => value ?? '');
            put(row, 'sku', itemIdFrom(pairs, 0) ?? e[4]);
            emit(row);
            return;
          }
        }
      },
      end() {},
    };
  },
};

export const FLATTENERS: Readonly<Record<string, FlattenerDefinition>> = {
  '810': flatten810,
  '846': flatten846,
  '852': flatten852,
  '855': flatten855,
  '856': flatten856,
  '944': flatten944,
  '945': flatten945,
  '947': flatten947,
};
