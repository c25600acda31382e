import fc from 'fast-check';
import { gtinCheckDigit, parseGtin } from '../identity/gtin';
import { UomCodeTable } from './uom-code-table';
import { UomConversionGraph } from './uom-conversion-graph';

const PACK_UNITS = ['BX', 'CA', 'PL', 'DR'];

describe('unit conversion properties', () => {
  it('converts along any pack chain and back exactly, and the chain stays consistent', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 2, max: 60 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 10_000 }), (factors, quantity) => {
        const graph = new UomConversionGraph(new UomCodeTable());
        const units = ['EA', ...PACK_UNITS.slice(0, factors.length)];
        factors.forEach((factor, i) => graph.add({ sku: 'P', fromUom: units[i + 1], toUom: units[i], factor: String(factor) }));
        const top = units[units.length - 1];
        const down = graph.convert(quantity, top, 'EA', 'P');
        expect(down).toMatchObject({ ok: true, value: quantity * factors.reduce((a, b) => a * b, 1) });
        const up = down.ok ? graph.convert(down.value, 'EA', top, 'P') : down;
        expect(up.ok && up.exact.equals(quantity)).toBe(true);
        expect(graph.checkConsistency('P')).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('detects a shortcut edge whose factor differs from the product of the chain', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 2, max: 60 }), { minLength: 2, maxLength: 4 }), fc.integer({ min: 1, max: 5 }), (factors, offset) => {
        const graph = new UomConversionGraph(new UomCodeTable());
        const units = ['EA', ...PACK_UNITS.slice(0, factors.length)];
        factors.forEach((factor, i) => graph.add({ sku: 'P', fromUom: units[i + 1], toUom: units[i], factor: String(factor) }));
        const product = factors.reduce((a, b) => a * b, 1);
        graph.add({ sku: 'P', fromUom: units[units.length - 1], toUom: 'EA', factor: String(product + offset) });
        expect(graph.checkConsistency('P').map((i) => i.rule)).toEqual(['inconsistent-uom-conversion']);
      }),
      { numRuns: 200 },
    );
  });
});

describe('GTIN properties', () => {
  it('accepts every body with its own check digit and rejects every other check digit', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{12}$/), fc.integer({ min: 1, max: 9 }), (body, shift) => {
        const check = gtinCheckDigit(body);
        expect(parseGtin(`${body}${check}`)).toMatchObject({ ok: true, format: 'GTIN-13' });
        expect(parseGtin(`${body}${(check + shift) % 10}`)).toMatchObject({ ok: false, reason: 'bad-check-digit' });
      }),
    );
  });
});
