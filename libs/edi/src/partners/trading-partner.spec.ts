import { InputError } from '@crossdock/domain';
import { functionalAckFor, parsePartnerProfile } from './trading-partner';

const minimal = {
  id: 'acme',
  name: 'Acme Supply',
  isaQualifier: 'ZZ',
  isaId: 'ACME',
  gsId: 'ACME',
  ourIsaQualifier: 'ZZ',
  ourIsaId: 'CROSSDOCK',
  ourGsId: 'CROSSDOCK',
  transport: { connection: 'acme-sftp', inboundFolder: '/out', outboundFolder: '/in' },
};

describe('parsePartnerProfile', () => {
  it('fills defaults: 997, TA1 on error, 24 h SLA, reject duplicates', () => {
    const profile = parsePartnerProfile(minimal);
    expect(profile.acks).toMatchObject({ functional: '997', ta1: 'on-error', expectForOutbound: true });
    expect(profile.slaHours).toBe(24);
    expect(profile.duplicates).toEqual({ interchange: 'reject', group: 'reject', set: 'reject' });
    expect(profile.outboundDelimiters.segment).toBe('~');
  });

  it('names every wrong field', () => {
    try {
      parsePartnerProfile({ ...minimal, isaQualifier: 'zzz', slaHours: -1, outboundDelimiters: { element: 'A' }, duplicates: { set: 'ignore' } }, 'acme.json');
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      const fields = (error as InputError).issues.map((i) => i.place.field);
      expect(fields).toEqual(expect.arrayContaining(['isaQualifier', 'slaHours', 'outboundDelimiters.element', 'duplicates.set']));
      expect((error as InputError).issues[0].place.source).toBe('acme.json');
    }
  });

  it('never acknowledges an acknowledgment, and honours per-set policy', () => {
    const profile = parsePartnerProfile({ ...minimal, acks: { functional: '997', perGroupOrSet: { '856': '999', IB: 'none' } } });
    expect(functionalAckFor(profile, 'FA', ['997'])).toBe('none');
    expect(functionalAckFor(profile, 'SH', ['856'])).toBe('999');
    expect(functionalAckFor(profile, 'IB', ['846'])).toBe('none');
    expect(functionalAckFor(profile, 'PR', ['855'])).toBe('997');
  });
});
