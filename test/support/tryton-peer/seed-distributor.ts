/**
 * Seeds a small distributor into a fresh Tryton database: company (USD), two warehouses (WH, WH2),
 * products SKU-001..n with a supplier link each, two suppliers, a customer, one received purchase
 * (receipt → lead-time observation) and one shipped sale (demand history).
 */
import {
  TrytonDate,
  TrytonDecimal,
  TrytonRpcClient,
  TrytonTimeDelta,
} from '@crossdock/connectors/erp-tryton';
import { TRYTON_ADMIN_LOGIN, TRYTON_ADMIN_PASSWORD, type TrytonPeer } from '../tryton-peer';

type Row = Record<string, unknown> & { id: number };

export interface SeededDistributor {
  company: number;
  warehouses: { WH: number; WH2: number };
  storage: { WH: number; WH2: number };
  products: Map<string, number>;
  parties: { acme: number; bolt: number; retail: number };
  receivedPurchase: { id: number; number: string };
  shippedSale: { id: number; number: string };
}

export function adminClient(peer: TrytonPeer): TrytonRpcClient {
  return new TrytonRpcClient({
    url: peer.url,
    login: TRYTON_ADMIN_LOGIN,
    password: TRYTON_ADMIN_PASSWORD,
    timeoutMs: 60_000,
  });
}

export const sku = (n: number) => `SKU-${String(n).padStart(3, '0')}`;

async function button(client: TrytonRpcClient, model: string, name: string, ids: number[]): Promise<void> {
  await client.callConfirmingWarnings(`model.${model}.${name}`, [ids]);
}

/** Creates the company (USD) and makes it the admin's; the client's context then carries it. */
export async function seedCompany(client: TrytonRpcClient): Promise<{ company: number; usd: number }> {
  await client.login();
  const [usd] = await client.call<number[]>('model.currency.currency.create', [
    [{ name: 'US Dollar', code: 'USD', symbol: '$', rounding: TrytonDecimal.of('0.01'), digits: 2 }],
  ]);
  const [companyParty] = await client.call<number[]>('model.party.party.create', [
    [{ name: 'Crossdock Distribution', code: 'CO-1' }],
  ]);
  const [company] = await client.call<number[]>('model.company.company.create', [
    [{ party: companyParty, currency: usd }],
  ]);
  await client.call('model.res.user.write', [[client.userId], { companies: [['add', [company]]], company }]);
  // the context must carry the company from now on
  await client.login();
  return { company, usd };
}

/** A catalog of `count` goods CAT-000001.. in chunks (one create call per chunk). */
export async function seedCatalog(client: TrytonRpcClient, count: number, chunk = 500): Promise<void> {
  const [category] = await client.call<number[]>('model.product.category.create', [
    [{ name: 'Catalog', accounting: true }],
  ]);
  for (let start = 0; start < count; start += chunk) {
    await client.call('model.product.template.create', [
      Array.from({ length: Math.min(chunk, count - start) }, (_, i) => {
        const n = start + i + 1;
        return {
          name: `Catalog item ${n}`,
          type: 'goods',
          default_uom: 1,
          list_price: TrytonDecimal.of(`${(n % 500) + 1}.00`),
          account_category: category,
          products: [
            [
              'create',
              [
                {
                  suffix_code: `CAT-${String(n).padStart(6, '0')}`,
                  cost_price: TrytonDecimal.of(`${(n % 300) + 1}.2500`),
                },
              ],
            ],
          ],
        };
      }),
    ]);
  }
}

export async function seedDistributor(peer: TrytonPeer, productCount = 12): Promise<SeededDistributor> {
  const client = adminClient(peer);
  const { company, usd } = await seedCompany(client);

  const [input2, output2, storage2] = await client.call<number[]>('model.stock.location.create', [
    [
      { name: 'WH2 Input', code: 'IN2', type: 'storage' },
      { name: 'WH2 Output', code: 'OUT2', type: 'storage' },
      { name: 'WH2 Storage', code: 'STO2', type: 'storage' },
    ],
  ]);
  const [wh2] = await client.call<number[]>('model.stock.location.create', [
    [
      {
        name: 'Warehouse 2',
        code: 'WH2',
        type: 'warehouse',
        input_location: input2,
        output_location: output2,
        storage_location: storage2,
      },
    ],
  ]);
  await client.call('model.stock.location.write', [[input2, output2, storage2], { parent: wh2 }]);

  const [category] = await client.call<number[]>('model.product.category.create', [
    [{ name: 'Fasteners', accounting: true }],
  ]);
  const templates = await client.call<number[]>('model.product.template.create', [
    Array.from({ length: productCount }, (_, i) => ({
      name: `Widget ${i + 1}`,
      type: 'goods',
      default_uom: 1,
      purchasable: true,
      purchase_uom: 1,
      salable: true,
      sale_uom: 1,
      list_price: TrytonDecimal.of(`${10 + i}.00`),
      account_category: category,
      products: [['create', [{ suffix_code: sku(i + 1), cost_price: TrytonDecimal.of(`${5 + i}.5000`) }]]],
    })),
  ]);
  const productRows = await client.call<Row[]>('model.product.product.search_read', [
    [['template', 'in', templates]],
    0,
    null,
    [['id', 'ASC']],
    ['code', 'template'],
  ]);
  const products = new Map(productRows.map((p) => [String(p.code), p.id]));

  const address = { street: '1 Main St', postal_code: '1000', city: 'Springfield' };
  const [acme, bolt, retail] = await client.call<number[]>('model.party.party.create', [
    [
      { name: 'ACME Supplies', code: 'SUP-ACME', addresses: [['create', [address]]] },
      { name: 'Bolt & Nut Co', code: 'SUP-BOLT', addresses: [['create', [address]]] },
      { name: 'Retail Customer', code: 'CUS-RETAIL', addresses: [['create', [address]]] },
    ],
  ]);
  await client.call('model.purchase.product_supplier.create', [
    productRows.map((p, i) => ({
      template: p.template,
      product: p.id,
      party: i % 3 === 2 ? bolt : acme,
      code: `V-${String(p.code)}`,
      lead_time: new TrytonTimeDelta((5 + (i % 4)) * 86_400),
      prices: [['create', [{ quantity: 12 * (1 + (i % 2)), unit_price: TrytonDecimal.of(`${4 + i}.25`) }]]],
    })),
  ]);

  const [acmeRow] = await client.call<Row[]>('model.party.party.read', [[acme], ['addresses']]);
  const [purchaseId] = await client.call<number[]>('model.purchase.purchase.create', [
    [
      {
        party: acme,
        invoice_address: (acmeRow.addresses as number[])[0],
        warehouse: 5,
        currency: usd,
        invoice_method: 'manual',
        purchase_date: new TrytonDate('2026-11-02'),
        lines: [
          [
            'create',
            [
              {
                type: 'line',
                product: products.get(sku(1)),
                quantity: 40,
                unit: 1,
                unit_price: TrytonDecimal.of('5.50'),
                description: 'Widget 1',
              },
              {
                type: 'line',
                product: products.get(sku(2)),
                quantity: 24,
                unit: 1,
                unit_price: TrytonDecimal.of('6.50'),
                description: 'Widget 2',
              },
            ],
          ],
        ],
      },
    ],
  ]);
  await button(client, 'purchase.purchase', 'quote', [purchaseId]);
  await button(client, 'purchase.purchase', 'confirm', [purchaseId]);
  const moves = await client
    .call<Row[]>('model.stock.move.search_read', [[['purchase', '=', purchaseId]], 0, null, null, ['id']])
    .catch(async () =>
      client.call<Row[]>('model.stock.move.search_read', [
        [['origin', 'like', 'purchase.line,%']],
        0,
        null,
        null,
        ['id'],
      ]),
    );
  const [shipmentIn] = await client.call<number[]>('model.stock.shipment.in.create', [
    [
      {
        supplier: acme,
        warehouse: 5,
        effective_date: new TrytonDate('2026-11-09'),
        incoming_moves: [['add', moves.map((m) => m.id)]],
      },
    ],
  ]);
  await button(client, 'stock.shipment.in', 'receive', [shipmentIn]);
  await button(client, 'stock.shipment.in', 'done', [shipmentIn]);
  const [purchase] = await client.call<Row[]>('model.purchase.purchase.read', [[purchaseId], ['number']]);

  const [retailRow] = await client.call<Row[]>('model.party.party.read', [[retail], ['addresses']]);
  const [saleId] = await client.call<number[]>('model.sale.sale.create', [
    [
      {
        party: retail,
        invoice_address: (retailRow.addresses as number[])[0],
        shipment_address: (retailRow.addresses as number[])[0],
        warehouse: 5,
        currency: usd,
        invoice_method: 'manual',
        shipment_method: 'order',
        sale_date: new TrytonDate('2026-11-10'),
        lines: [
          [
            'create',
            [
              {
                type: 'line',
                product: products.get(sku(1)),
                quantity: 15,
                unit: 1,
                unit_price: TrytonDecimal.of('10.00'),
                description: 'Widget 1',
              },
            ],
          ],
        ],
      },
    ],
  ]);
  await button(client, 'sale.sale', 'quote', [saleId]);
  await button(client, 'sale.sale', 'confirm', [saleId]);
  const shipments = await client.call<Row[]>('model.stock.shipment.out.search_read', [
    [['customer', '=', retail]],
    0,
    null,
    null,
    ['state'],
  ]);
  const shipmentIds = shipments.map((s) => s.id);
  await client.call('model.stock.shipment.out.write', [
    shipmentIds,
    { effective_date: new TrytonDate('2026-11-11') },
  ]);
  for (const step of ['wait', 'assign_try', 'pick', 'pack', 'done']) {
    const [state] = await client.call<Row[]>('model.stock.shipment.out.read', [shipmentIds, ['state']]);
    if (state.state === 'done') break;
    if (step === 'wait' && state.state !== 'draft') continue;
    await button(client, 'stock.shipment.out', step, shipmentIds);
  }
  const [sale] = await client.call<Row[]>('model.sale.sale.read', [[saleId], ['number']]);
  return {
    company,
    warehouses: { WH: 5, WH2: wh2 },
    storage: { WH: 3, WH2: storage2 },
    products,
    parties: { acme, bolt, retail },
    receivedPurchase: { id: purchaseId, number: String(purchase.number) },
    shippedSale: { id: saleId, number: String(sale.number) },
  };
}

/**
 * Two changes for delta tests: a product without a code (the items mapping rejects it) and a new
 * list price on `productId`, so the next read has one bad and one changed record.
 */
export async function addUncodedProductAndReprice(client: TrytonRpcClient, productId: number): Promise<void> {
  await client.call('model.product.template.create', [
    [
      {
        name: 'Uncoded',
        type: 'goods',
        default_uom: 1,
        list_price: TrytonDecimal.of('1.00'),
        products: [['create', [{}]]],
      },
    ],
  ]);
  const [template] = await client.call<{ template: number }[]>('model.product.product.read', [
    [productId],
    ['template'],
  ]);
  await client.call('model.product.template.write', [
    [template.template],
    { list_price: TrytonDecimal.of('16.00') },
  ]);
}
