import { ediIdentifiersToItemIdentifiers, qualifiedIdsFromElements } from './edi-qualifiers';

describe('EDI product id qualifiers', () => {
  it('splits the qualifier/value pairs of a PO1 segment with their element positions', () => {
    const elements = ['1', '120', 'EA', '9.25', 'TE', 'CB', '065322-117', 'PR', 'RO', 'VN', 'AB3542'];
    expect(qualifiedIdsFromElements('PO1', elements, 6, { segmentPosition: 14 })).toEqual([
      { qualifier: 'CB', value: '065322-117', place: { segment: 'PO1', segmentPosition: 14, elementIndex: 6 } },
      { qualifier: 'PR', value: 'RO', place: { segment: 'PO1', segmentPosition: 14, elementIndex: 8 } },
      { qualifier: 'VN', value: 'AB3542', place: { segment: 'PO1', segmentPosition: 14, elementIndex: 10 } },
    ]);
  });

  it('reads buyer numbers as ours and vendor numbers as the supplier part on an order to a supplier', () => {
    const { identifiers, issues } = ediIdentifiersToItemIdentifiers(
      [
        { qualifier: 'BP', value: 'W-100' },
        { qualifier: 'VP', value: 'AB3542' },
        { qualifier: 'UP', value: '036000291452' },
      ],
      { partnerRole: 'supplier', partnerCode: 'ACME' },
    );
    expect(issues).toEqual([]);
    expect(identifiers).toEqual([
      { kind: 'sku', value: 'W-100' },
      { kind: 'supplier-part', value: 'AB3542', partyCode: 'ACME' },
      { kind: 'upc', value: '036000291452', upcE: false },
    ]);
  });

  it('reads buyer numbers as the customer part and vendor numbers as ours on a customer order', () => {
    const { identifiers } = ediIdentifiersToItemIdentifiers(
      [
        { qualifier: 'IN', value: '525' },
        { qualifier: 'VN', value: 'X357-W2' },
        { qualifier: 'EN', value: '4006381333931' },
        { qualifier: 'UP', value: '04252614' },
      ],
      { partnerRole: 'customer', partnerCode: 'XYZ-RETAIL' },
    );
    expect(identifiers).toEqual([
      { kind: 'customer-part', value: '525', partyCode: 'XYZ-RETAIL' },
      { kind: 'sku', value: 'X357-W2' },
      { kind: 'ean', value: '4006381333931', upcE: false },
      { kind: 'upc', value: '04252614', upcE: true },
    ]);
  });

  it('reports qualifiers that do not identify an item and leaves them out', () => {
    const { identifiers, issues } = ediIdentifiersToItemIdentifiers(
      [
        { qualifier: 'MG', value: '1000', place: { segment: 'LIN', elementIndex: 2 } },
        { qualifier: 'UK', value: '' },
      ],
      { partnerRole: 'supplier', partnerCode: 'HIBCC', recordLabel: 'LIN 1' },
    );
    expect(identifiers).toEqual([]);
    expect(issues.map((i) => [i.rule, i.severity, i.message])).toEqual([
      ['unknown-identifier-qualifier', 'info', 'LIN 1: product id qualifier MG (value 1000) does not identify an item here'],
      ['unknown-identifier-qualifier', 'info', 'LIN 1: qualifier UK has no value'],
    ]);
    expect(issues[0].place).toEqual({ segment: 'LIN', elementIndex: 2 });
  });
});
