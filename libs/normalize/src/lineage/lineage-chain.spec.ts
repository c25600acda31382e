import { describeSourceRecordId, formatLineageChain, lineageChain } from './lineage-chain';

describe('lineage chain', () => {
  it('reads file:line and X12 control-number source ids', () => {
    expect(describeSourceRecordId('items.csv:17')).toEqual({ file: 'items.csv', line: '17' });
    expect(describeSourceRecordId('000003438/1421/000000010')).toEqual({
      interchangeControlNumber: '000003438',
      groupControlNumber: '1421',
      transactionSetControlNumber: '000000010',
    });
    expect(describeSourceRecordId('100045')).toEqual({ id: '100045' });
  });

  it('walks from the canonical record through the interchange to the connection', () => {
    const steps = lineageChain(
      'purchase-orders',
      '08292233294',
      { sourceConnection: 'edi-xyz', sourceRecordId: '000003438/1421/000000010', runId: 'ic-3438' },
      { id: 'ic-3438', kind: 'interchange', status: 'accepted' },
    );
    expect(steps.map((s) => s.level)).toEqual(['canonical-record', 'source-record', 'run', 'connection']);
    expect(formatLineageChain(steps)).toBe(
      [
        'canonical-record: purchase-orders 08292233294  (kind=purchase-orders id=08292233294)',
        '  <- source-record: 000003438/1421/000000010  (interchangeControlNumber=000003438 groupControlNumber=1421 transactionSetControlNumber=000000010)',
        '    <- run: interchange ic-3438  (id=ic-3438 status=accepted)',
        '      <- connection: edi-xyz  (name=edi-xyz)',
      ].join('\n'),
    );
  });

  it('leaves out the run when the record names none', () => {
    expect(lineageChain('items', 'W-1', { sourceConnection: 'csv', sourceRecordId: 'items.csv:2' }).map((s) => s.level)).toEqual([
      'canonical-record',
      'source-record',
      'connection',
    ]);
  });
});
