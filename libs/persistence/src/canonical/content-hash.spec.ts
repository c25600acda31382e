import { contentHash } from './content-hash';

describe('contentHash', () => {
  const row = { sku: 'A', description: 'x', active: 1, category: null };

  it('is the same for the same content and differs when any column or line changes', () => {
    expect(contentHash({ ...row })).toBe(contentHash(row));
    expect(contentHash({ ...row, description: 'y' })).not.toBe(contentHash(row));
    expect(contentHash(row, [{ line_no: 1, quantity: 5 }])).not.toBe(
      contentHash(row, [{ line_no: 1, quantity: 6 }]),
    );
    expect(contentHash(row, [{ line_no: 1, quantity: 5 }])).not.toBe(contentHash(row));
  });

  it('tells NULL from the empty string and from the text "null"', () => {
    const hashes = [null, '', 'null'].map((category) => contentHash({ ...row, category }));
    expect(new Set(hashes).size).toBe(3);
  });

  it('does not let a separator inside a value shift fields into each other', () => {
    expect(contentHash({ a: 'x', b: 'y' })).not.toBe(contentHash({ a: 'xy', b: '' }));
    expect(contentHash({ a: 'x1:', b: '' })).not.toBe(contentHash({ a: 'x', b: '1:' }));
  });
});
