import { InputError } from '@crossdock/domain';
import { SHIPPED_PROFILES, validateProfile } from '../profiles';
import { purchaseOrderBody } from './create-purchase-order';
import { parsePurchaseOrderPayload } from './purchase-order.payload';

describe('create-purchase-order on a REST profile', () => {
  const spec = SHIPPED_PROFILES.erpnext.actions!['create-purchase-order']!;

  it('lays the payload out as the vendor document, with the key in the reference field', () => {
    const order = parsePurchaseOrderPayload(
      {
        supplierCode: 'SUP-1',
        warehouseCode: 'Stores - WH1',
        deliveryDate: '2026-12-01',
        lines: [
          { sku: 'SKU-1', quantity: 24, unitPrice: '7.25' },
          { sku: 'SKU-2', quantity: 6, deliveryDate: '2026-12-08' },
        ],
      },
      'test',
    );
    expect(purchaseOrderBody(spec, order, 'crossdock:k-1')).toEqual({
      custom_crossdock_reference: 'crossdock:k-1',
      supplier: 'SUP-1',
      set_warehouse: 'Stores - WH1',
      schedule_date: '2026-12-01',
      items: [
        { item_code: 'SKU-1', qty: 24, rate: 7.25, schedule_date: '2026-12-01', warehouse: 'Stores - WH1' },
        { item_code: 'SKU-2', qty: 6, schedule_date: '2026-12-08', warehouse: 'Stores - WH1' },
      ],
    });
  });

  it('names every bad payload field', () => {
    let error: unknown;
    try {
      parsePurchaseOrderPayload(
        { supplierCode: 'SUP-1', warehouseCode: 'W', lines: [{ sku: 'SKU-1', quantity: -1 }] },
        'create-purchase-order',
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const fields = (error as InputError).issues.map((i) => i.place.field).sort();
    expect(fields).toEqual(['deliveryDate', 'lines.0.quantity']);
  });

  it('refuses a profile action without a reference lookup or with unknown payload fields', () => {
    const broken = {
      ...SHIPPED_PROFILES.erpnext,
      actions: {
        'create-purchase-order': {
          ...spec,
          lookup: { query: { filters: '[]' }, recordsPath: 'data' },
          line: { item_code: 'sku', qty: 'amount' },
        },
        'cancel-order': {},
      },
    };
    expect(() => validateProfile(broken, 'custom.json')).toThrow(
      /actions\.create-purchase-order\.lookup needs a query with \{reference\}[^]*actions\.create-purchase-order\.line maps[^]*actions\.cancel-order is not an action/,
    );
  });
});
