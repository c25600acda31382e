import { expandUpcE, gtinCheckDigit, parseGtin } from './gtin';

describe('parseGtin', () => {
  it.each([
    ['GTIN-8', '96385074', '00000096385074'],
    ['GTIN-12', '036000291452', '00036000291452'],
    ['GTIN-13', '4006381333931', '04006381333931'],
    ['GTIN-14', '15400141288763', '15400141288763'],
  ])('accepts a valid %s and keys it as 14 digits', (format, code, key) => {
    expect(parseGtin(code)).toEqual({ ok: true, gtin14: key, format });
  });

  it('keys the UPC-A and its EAN-13 form identically', () => {
    const upc = parseGtin('036000291452');
    const ean = parseGtin('0036000291452');
    expect(upc.ok && ean.ok && upc.gtin14 === ean.gtin14).toBe(true);
  });

  it('rejects a wrong check digit and names the expected one', () => {
    expect(parseGtin('036000291453')).toEqual({ ok: false, reason: 'bad-check-digit', expectedCheckDigit: 2 });
  });

  it('rejects letters and unsupported lengths', () => {
    expect(parseGtin('03600029145X')).toEqual({ ok: false, reason: 'not-digits' });
    expect(parseGtin('123456789')).toEqual({ ok: false, reason: 'bad-length' });
    expect(parseGtin('')).toEqual({ ok: false, reason: 'not-digits' });
  });

  it('detects every single-digit substitution in a GTIN-13', () => {
    const valid = '4006381333931';
    for (let position = 0; position < valid.length; position += 1) {
      for (let digit = 0; digit <= 9; digit += 1) {
        if (String(digit) === valid[position]) continue;
        const mutated = `${valid.slice(0, position)}${digit}${valid.slice(position + 1)}`;
        expect(parseGtin(mutated).ok).toBe(false);
      }
    }
  });
});

describe('UPC-E', () => {
  it.each([
    ['04252614', '042100005264'],
    ['01234565', '012345000065'],
    ['01234531', '012300000451'],
    ['01234543', '012340000053'],
  ])('expands %s to %s', (upcE, upcA) => {
    expect(expandUpcE(upcE)).toBe(upcA);
    expect(gtinCheckDigit(upcA.slice(0, -1))).toBe(Number(upcA[11]));
  });

  it('validates a UPC-E through its expansion when told the value is UPC-E', () => {
    expect(parseGtin('04252614', { upcE: true })).toEqual({ ok: true, gtin14: '00042100005264', format: 'UPC-E' });
    expect(parseGtin('04252615', { upcE: true })).toMatchObject({ ok: false, reason: 'bad-check-digit' });
  });

  it('refuses number systems other than 0 and 1', () => {
    expect(expandUpcE('24252614')).toBeUndefined();
  });
});
