/**
 * `create-purchase-order` on a REST ERP, idempotent: the key goes into the profile's reference
 * field as `crossdock:<key>` and is looked up before the create, and again when the create's
 * answer is lost, so a timeout after the ERP committed finds that document instead of making a
 * second one.
 */
import type { ActionResult } from '@crossdock/connector-sdk';
import { ErpRestError } from '../errors';
import type { RestClient } from '../http/rest-client';
import { readPath, type CreatePurchaseOrderSpec } from '../profile';
import { parsePurchaseOrderPayload, type RestCreatePurchaseOrderPayload } from './purchase-order.payload';

export const referenceFor = (idempotencyKey: string): string => `crossdock:${idempotencyKey}`;

/** The vendor's document for a validated payload, as the profile lays it out. */
export function purchaseOrderBody(
  spec: CreatePurchaseOrderSpec,
  order: RestCreatePurchaseOrderPayload,
  reference: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = { [spec.referenceField]: reference };
  for (const [target, source] of Object.entries(spec.header)) body[target] = order[source];
  body[spec.linesField] = order.lines.map((line) => {
    const out: Record<string, unknown> = {};
    for (const [target, source] of Object.entries(spec.line)) {
      if (source === 'warehouseCode') out[target] = order.warehouseCode;
      else if (source === 'deliveryDate') out[target] = line.deliveryDate ?? order.deliveryDate;
      else if (source === 'unitPrice') {
        if (line.unitPrice !== undefined) out[target] = Number(line.unitPrice);
      } else out[target] = line[source];
    }
    return out;
  });
  return body;
}

export async function createPurchaseOrder(
  client: RestClient,
  spec: CreatePurchaseOrderSpec,
  idempotencyKey: string,
  payload: unknown,
  signal?: AbortSignal,
): Promise<ActionResult> {
  const order = parsePurchaseOrderPayload(payload, 'create-purchase-order');
  const reference = referenceFor(idempotencyKey);
  const lookup = async (): Promise<Record<string, unknown> | undefined> => {
    const query = Object.fromEntries(
      Object.entries(spec.lookup.query).map(([name, value]) => [
        name,
        value.replace('{reference}', reference),
      ]),
    );
    const response = await client.get(spec.path, query, {}, signal);
    const rows = readPath(response.body, spec.lookup.recordsPath);
    if (!Array.isArray(rows)) {
      throw new ErpRestError(
        'bad-response',
        `lookup of ${reference} answered no list at "${spec.lookup.recordsPath}"`,
      );
    }
    return rows[0] as Record<string, unknown> | undefined;
  };
  const result = (document: Record<string, unknown>, alreadyExisted: boolean): ActionResult => {
    const number = readPath(document, spec.numberField);
    if (typeof number !== 'string' && typeof number !== 'number') {
      throw new ErpRestError('bad-response', `purchase order ${reference} has no ${spec.numberField}`);
    }
    return { externalRef: String(number), alreadyExisted, details: { reference } };
  };

  const existing = await lookup();
  if (existing) return result(existing, true);
  try {
    const created = await client.post(spec.path, purchaseOrderBody(spec, order, reference), signal);
    const document = readPath(created.body, spec.recordPath);
    if (typeof document === 'object' && document !== null)
      return result(document as Record<string, unknown>, false);
  } catch (error) {
    if (!(error instanceof ErpRestError) || !error.details.uncertain) throw error;
    // the create may have committed before its answer was lost: what the ERP has decides
    const committed = await lookup();
    if (!committed) throw error;
    return result(committed, false);
  }
  const committed = await lookup();
  if (!committed)
    throw new ErpRestError(
      'bad-response',
      `created purchase order ${reference} is not found by its reference`,
    );
  return result(committed, false);
}
