/**
 * Idempotent actions on Tryton. The idempotency key is written into the document's `reference`
 * (for a line: a marker in its note) and looked up before anything is created, so a repeat after
 * a timeout, a crash or a queue retry finds the first document instead of making a second one.
 */
import { InputError } from '@crossdock/domain';
import type { ActionResult } from '@crossdock/connector-sdk';
import {
  CreateInternalShipmentPayload,
  CreatePurchaseOrderPayload,
  ExpeditePurchaseLinePayload,
  parsePayload,
} from './tryton-action.payloads';
import { TrytonError } from './tryton-errors';
import type { TrytonRpcClient } from './tryton-rpc.client';
import type { TrytonRow } from './tryton-rows';
import { TrytonDate, TrytonDecimal } from './tryton-values';

export const referenceFor = (idempotencyKey: string) => `crossdock:${idempotencyKey}`;

function notFound(source: string, field: string, message: string): InputError {
  return new InputError([{ code: 'NOT_IN_ERP', message, severity: 'error', place: { source, field } }]);
}

/** Transport failures after which the write may or may not have committed. */
function uncertain(error: unknown): boolean {
  return error instanceof TrytonError && (error.kind === 'timeout' || error.kind === 'unreachable');
}

export class TrytonActions {
  constructor(private readonly client: TrytonRpcClient) {}

  private async idsByCode(
    model: string,
    codes: string[],
    extra: unknown[] = [],
  ): Promise<Map<string, number>> {
    const rows = await this.client.call<TrytonRow[]>(`model.${model}.search_read`, [
      [['code', 'in', codes], ...extra],
      0,
      null,
      null,
      ['code'],
    ]);
    return new Map(rows.map((row) => [String(row.code), row.id]));
  }

  private async warehouse(code: string, source: string, field: string): Promise<TrytonRow> {
    const rows = await this.client.call<TrytonRow[]>('model.stock.location.search_read', [
      [
        ['code', '=', code],
        ['type', '=', 'warehouse'],
      ],
      0,
      1,
      null,
      ['storage_location'],
    ]);
    if (rows.length === 0) throw notFound(source, field, `no warehouse with code ${code}`);
    return rows[0];
  }

  private async products(skus: string[], source: string): Promise<Map<string, { id: number; uom: number }>> {
    const rows = await this.client.call<TrytonRow[]>('model.product.product.search_read', [
      [['code', 'in', skus]],
      0,
      null,
      null,
      ['code', 'default_uom'],
    ]);
    const found = new Map(
      rows.map((row) => [String(row.code), { id: row.id, uom: row.default_uom as number }]),
    );
    const unknown = skus.filter((sku) => !found.has(sku));
    if (unknown.length > 0) throw notFound(source, 'lines.sku', `no product with code ${unknown.join(', ')}`);
    return found;
  }

  /** Looks the document up by reference; creates it when absent; finishes it when half-done. */
  private async once(
    model: string,
    reference: string,
    create: () => Promise<number>,
    finish: (row: TrytonRow) => Promise<void>,
  ): Promise<ActionResult> {
    const lookup = () =>
      this.client.call<TrytonRow[]>(`model.${model}.search_read`, [
        [['reference', '=', reference]],
        0,
        2,
        [['id', 'ASC']],
        ['number', 'state'],
      ]);
    let existing = await lookup();
    const alreadyExisted = existing.length > 0;
    if (!alreadyExisted) {
      try {
        await create();
      } catch (error) {
        if (!uncertain(error)) throw error;
        // the create may have committed before the answer was lost: look again before anything else
        existing = await lookup();
        if (existing.length === 0) throw error;
      }
      existing = await lookup();
    }
    const document = existing[0];
    await finish(document);
    const [final] = await this.client.call<TrytonRow[]>(`model.${model}.read`, [
      [document.id],
      ['number', 'state'],
    ]);
    return {
      externalRef: typeof final.number === 'string' ? final.number : `${model},${document.id}`,
      alreadyExisted,
      details: { id: document.id, state: final.state, reference },
    };
  }

  async createPurchaseOrder(idempotencyKey: string, payload: unknown): Promise<ActionResult> {
    const source = 'create-purchase-order';
    const order = parsePayload(CreatePurchaseOrderPayload, payload, source);
    const reference = referenceFor(idempotencyKey);
    return this.once(
      'purchase.purchase',
      reference,
      async () => {
        const parties = await this.client.call<TrytonRow[]>('model.party.party.search_read', [
          [['code', '=', order.supplierCode]],
          0,
          1,
          null,
          ['addresses'],
        ]);
        if (parties.length === 0)
          throw notFound(source, 'supplierCode', `no party with code ${order.supplierCode}`);
        const warehouse = await this.warehouse(order.warehouseCode, source, 'warehouseCode');
        const products = await this.products(
          order.lines.map((l) => l.sku),
          source,
        );
        const addresses = parties[0].addresses as number[];
        const [id] = await this.client.call<number[]>('model.purchase.purchase.create', [
          [
            {
              party: parties[0].id,
              invoice_address: addresses[0] ?? null,
              warehouse: warehouse.id,
              reference,
              invoice_method: 'manual',
              lines: [
                [
                  'create',
                  order.lines.map((line) => ({
                    type: 'line',
                    product: products.get(line.sku)!.id,
                    unit: products.get(line.sku)!.uom,
                    quantity: line.quantity,
                    unit_price: TrytonDecimal.of(line.unitPrice ?? '0'),
                    description: line.sku,
                    ...(line.deliveryDate
                      ? { delivery_date_edit: true, delivery_date_store: new TrytonDate(line.deliveryDate) }
                      : {}),
                  })),
                ],
              ],
            },
          ],
        ]);
        return id;
      },
      async (purchase) => {
        // a quotation is what a buyer reviews and sends; a repeat finishes a half-done draft
        if (purchase.state === 'draft')
          await this.client.call('model.purchase.purchase.quote', [[purchase.id]]);
      },
    );
  }

  async expeditePurchaseLine(idempotencyKey: string, payload: unknown): Promise<ActionResult> {
    const source = 'expedite-po-line';
    const request = parsePayload(ExpeditePurchaseLinePayload, payload, source);
    const marker = `[${referenceFor(idempotencyKey)}]`;
    const purchases = await this.client.call<TrytonRow[]>('model.purchase.purchase.search_read', [
      [['number', '=', request.poNumber]],
      0,
      1,
      null,
      ['lines'],
    ]);
    if (purchases.length === 0)
      throw notFound(source, 'poNumber', `no purchase numbered ${request.poNumber}`);
    const lines = await this.client.call<TrytonRow[]>('model.purchase.line.read', [
      purchases[0].lines,
      ['type', 'note'],
    ]);
    const productLines = lines.filter((line) => line.type === 'line');
    const line = productLines[request.lineNo - 1];
    if (!line)
      throw notFound(
        source,
        'lineNo',
        `purchase ${request.poNumber} has ${productLines.length} lines, not ${request.lineNo}`,
      );
    const note = typeof line.note === 'string' ? line.note : '';
    const externalRef = `${request.poNumber}/${request.lineNo}`;
    if (note.includes(marker)) return { externalRef, alreadyExisted: true, details: { lineId: line.id } };
    await this.client.call('model.purchase.line.write', [
      [line.id],
      {
        delivery_date_edit: true,
        delivery_date_store: new TrytonDate(request.newDeliveryDate),
        note: `${note}${note ? '\n' : ''}${marker} expedite to ${request.newDeliveryDate}: ${request.note}`,
      },
    ]);
    return {
      externalRef,
      alreadyExisted: false,
      details: { lineId: line.id, deliveryDate: request.newDeliveryDate },
    };
  }

  async createInternalShipment(idempotencyKey: string, payload: unknown): Promise<ActionResult> {
    const source = 'create-internal-shipment';
    const transfer = parsePayload(CreateInternalShipmentPayload, payload, source);
    const reference = referenceFor(idempotencyKey);
    return this.once(
      'stock.shipment.internal',
      reference,
      async () => {
        const from = await this.warehouse(transfer.fromWarehouseCode, source, 'fromWarehouseCode');
        const to = await this.warehouse(transfer.toWarehouseCode, source, 'toWarehouseCode');
        const products = await this.products(
          transfer.lines.map((l) => l.sku),
          source,
        );
        // between warehouses Tryton routes through transit and needs both dates
        const planned = new TrytonDate(transfer.plannedDate ?? new Date().toISOString().slice(0, 10));
        const [id] = await this.client.call<number[]>('model.stock.shipment.internal.create', [
          [
            {
              reference,
              from_location: from.storage_location,
              to_location: to.storage_location,
              planned_date: planned,
              planned_start_date: planned,
              moves: [
                [
                  'create',
                  transfer.lines.map((line) => ({
                    product: products.get(line.sku)!.id,
                    uom: products.get(line.sku)!.uom,
                    quantity: line.quantity,
                    from_location: from.storage_location,
                    to_location: to.storage_location,
                    planned_date: planned,
                  })),
                ],
              ],
            },
          ],
        ]);
        return id;
      },
      async () => undefined,
    );
  }
}
