import { UomCodeTable } from './uom-code-table';
import { parseFactor, UomConversionGraph } from './uom-conversion-graph';

describe('UomCodeTable', () => {
  const table = new UomCodeTable(undefined, [{ system: 'partner-acme', code: 'CS', canonical: 'CA' }]);

  it.each([
    ['x12', 'EA', 'EA'],
    ['x12', 'CA', 'CA'],
    ['x12', 'PL', 'PL'],
    ['x12', 'LB', 'LB'],
    ['x12', 'GR', 'G'],
    ['rec20', 'KGM', 'KG'],
    ['rec20', 'XCS', 'CA'],
    ['rec20', 'XPX', 'PL'],
    ['rec20', 'DZN', 'DZ'],
    ['erp-main', 'cs', 'CA'],
    ['csv', ' pcs ', 'EA'],
    ['csv', ' bundle7 ', undefined],
    ['csv', 'Each', 'EA'],
    ['partner-acme', 'CS', 'CA'],
  ])('maps %s code %s to %s', (system, code, canonical) => {
    expect(table.resolve(code, system)).toBe(canonical);
  });

  it('does not loosen the standard lists: X12 CS is not a case unless a partner mapping says so', () => {
    expect(table.resolve('CS', 'x12')).toBeUndefined();
    expect(table.resolve('ZZZ', 'rec20')).toBeUndefined();
  });

  it('writes canonical units back out in each standard', () => {
    expect(table.toSystem('CA', 'rec20')).toBe('XCS');
    expect(table.toSystem('KG', 'x12')).toBe('KG');
  });

  it('refuses a mapping to a unit that is not canonical', () => {
    expect(() => table.addMapping({ system: 'csv', code: 'BUNDLE', canonical: 'BD' })).toThrow(
      /unknown canonical unit BD/,
    );
  });
});

describe('parseFactor', () => {
  it('reads decimals and ratios exactly and refuses the rest', () => {
    expect(parseFactor('0.45359237')?.toFraction()).toBe('45359237/100000000');
    expect(parseFactor('1/3')?.toFraction()).toBe('1/3');
    for (const bad of ['0', '-2', 'twelve', '1e3', '', '3/0']) expect(parseFactor(bad)).toBeUndefined();
  });
});

describe('UomConversionGraph', () => {
  function graphWithPallets(): UomConversionGraph {
    const graph = new UomConversionGraph(new UomCodeTable());
    expect(graph.add({ sku: 'W-100', fromUom: 'PL', toUom: 'CA', factor: '40' })).toEqual([]);
    expect(graph.add({ sku: 'W-100', fromUom: 'CA', toUom: 'EA', factor: '12' })).toEqual([]);
    return graph;
  }

  it('converts along the pack hierarchy in both directions', () => {
    const graph = graphWithPallets();
    expect(graph.convert(2, 'PL', 'EA', 'W-100')).toMatchObject({ ok: true, value: 960 });
    const back = graph.convert(18, 'EA', 'CA', 'W-100');
    expect(back.ok && back.exact.toFraction()).toBe('3/2');
    expect(graph.convert(1, 'EA', 'PL', 'W-100')).toMatchObject({ ok: true, value: 1 / 480 });
  });

  it('combines an item hierarchy with global units (dozen, pound/kilogram)', () => {
    const graph = graphWithPallets();
    expect(graph.convert(1, 'CA', 'DZ', 'W-100')).toMatchObject({ ok: true, value: 1 });
    const pounds = graph.convert(10, 'LB', 'KG');
    expect(pounds.ok && pounds.exact.toFraction()).toBe('45359237/10000000');
    const cases = graph.convert(0.1, 'CA', 'EA', 'W-100');
    expect(cases.ok && cases.exact.toFraction()).toBe('6/5');
  });

  it('keeps each item hierarchy to its item', () => {
    const graph = graphWithPallets();
    expect(graph.convert(1, 'CA', 'EA', 'W-200')).toMatchObject({ ok: false, reason: 'no-path' });
    expect(graph.convert(1, 'KG', 'EA', 'W-100')).toMatchObject({ ok: false, reason: 'no-path' });
  });

  it('accepts a consistent cycle and detects one whose product is not 1', () => {
    const graph = graphWithPallets();
    graph.add({ sku: 'W-100', fromUom: 'PL', toUom: 'EA', factor: '480' });
    expect(graph.checkConsistency('W-100')).toEqual([]);
    graph.add({ sku: 'W-100', fromUom: 'BX', toUom: 'EA', factor: '6' });
    graph.add({ sku: 'W-100', fromUom: 'CA', toUom: 'BX', factor: '3' });
    const issues = graph.checkConsistency('W-100');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      rule: 'inconsistent-uom-conversion',
      severity: 'blocking',
      entity: { type: 'item', sku: 'W-100' },
    });
    expect(issues[0].evidence.cycleProduct).not.toBe('1');
    expect(graph.convert(1, 'PL', 'EA', 'W-100')).toMatchObject({ ok: false, reason: 'inconsistent' });
  });

  it('finds a contradiction with the global table (1 DZ declared as 10 EA)', () => {
    const graph = new UomConversionGraph(new UomCodeTable());
    graph.add({ sku: 'W-300', fromUom: 'DZ', toUom: 'EA', factor: '10' });
    expect(graph.checkConsistency('W-300')[0].evidence).toMatchObject({
      declaredFactor: expect.any(String),
      cycleProduct: expect.any(String),
    });
  });

  it('has a consistent global table', () => {
    expect(new UomConversionGraph(new UomCodeTable()).checkConsistency()).toEqual([]);
  });

  it('reports unknown units and bad factors instead of adding them', () => {
    const graph = new UomConversionGraph(new UomCodeTable());
    const issues = graph.add({ sku: 'W-1', fromUom: 'CRATE', toUom: 'EA', factor: '-4' });
    expect(issues.map((i) => [i.rule, i.evidence.field])).toEqual([
      ['unknown-uom', 'fromUom'],
      ['invalid-value', 'factor'],
    ]);
    expect(graph.itemUnits('W-1')).toEqual([]);
  });
});
