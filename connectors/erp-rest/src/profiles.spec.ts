import { SHIPPED_PROFILES, validateProfile } from './profiles';

describe('profiles', () => {
  it('ships Business Central v2.0 and ERPNext with the streams the issue names', () => {
    expect(Object.keys(SHIPPED_PROFILES['business-central-v2'].streams)).toEqual([
      'items',
      'locations',
      'vendors',
      'purchaseOrders',
      'salesOrders',
      'itemLedgerEntries',
    ]);
    expect(Object.keys(SHIPPED_PROFILES.erpnext.streams)).toEqual([
      'Item',
      'Warehouse',
      'Supplier',
      'Bin',
      'Purchase Order',
      'Sales Order',
    ]);
  });

  it('names the file and path of each problem in a broken profile', () => {
    const broken = {
      ...SHIPPED_PROFILES.erpnext,
      pagination: { type: 'pages' },
      streams: {
        Item: {
          ...SHIPPED_PROFILES.erpnext.streams.Item,
          produces: 'widgets',
          delta: { field: 'modified', param: 'filters', template: 'x', format: 'frappe' },
        },
      },
    };
    expect(() => validateProfile(broken, 'custom.json')).toThrow(
      /custom\.json, field pagination\.type[^]*streams\.Item\.produces is not a canonical kind[^]*must contain \{since\}/,
    );
  });
});
