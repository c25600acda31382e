import type { TradingPartnerProfile } from '../partners/trading-partner';
import type { AckTransport, ControlNumberAllocator, OutboundAckTracker } from '../ports/edi.ports';
import { GuideValidatorFactory } from '../validation/guide-validator';
import { X12Writer, type OutboundSet } from './x12-writer';

export interface OutboundPorts {
  allocator: ControlNumberAllocator;
  transport: AckTransport;
  tracker?: OutboundAckTracker;
  clock?: () => Date;
}

export interface SentInterchange {
  fileName: string;
  interchangeControl: number;
  groupControl: number;
  text: string;
}

const FUNCTIONAL_IDS: Record<string, string> = { '850': 'PO', '860': 'PC', '940': 'OW', '943': 'AR' };

/**
 * Sends sets of one kind to a partner as one interchange: control numbers are allocated, the
 * text is written with the partner's delimiters (data containing one is refused), parsed and
 * validated again, uploaded, and the group is tracked until its 997/999 arrives.
 */
export async function sendOutbound(sets: readonly OutboundSet[], profile: TradingPartnerProfile, ports: OutboundPorts): Promise<SentInterchange> {
  if (sets.length === 0) throw new Error('nothing to send');
  const setId = sets[0].setId;
  if (sets.some((s) => s.setId !== setId)) throw new Error('one interchange carries one kind of set');
  const functionalId = FUNCTIONAL_IDS[setId];
  if (!functionalId) throw new Error(`set ${setId} is not an outbound document`);
  const now = (ports.clock ?? (() => new Date()))();
  const interchangeControl = await ports.allocator.next(profile.id, 'interchange');
  const groupControl = await ports.allocator.next(profile.id, 'group');
  const setControls: number[] = [];
  for (let i = 0; i < sets.length; i++) setControls.push(await ports.allocator.next(profile.id, 'set'));
  const version = profile.version === '005010' ? '005010' : '004010';
  const writer = new X12Writer(new GuideValidatorFactory(profile.guideOverrides ?? {}));
  const text = writer.write({
    senderQualifier: profile.ourIsaQualifier,
    senderId: profile.ourIsaId,
    receiverQualifier: profile.isaQualifier,
    receiverId: profile.isaId,
    controlVersion: version === '005010' ? '00501' : '00401',
    controlNumber: interchangeControl,
    ackRequested: profile.acks.ta1 !== 'never',
    usage: profile.usage,
    date: now,
    delimiters: profile.outboundDelimiters,
    groups: [{ functionalId, applicationSender: profile.ourGsId, applicationReceiver: profile.gsId, version, controlNumber: groupControl, firstSetControl: setControls[0], setControls, sets }],
  });
  const fileName = `${profile.id}-${setId}-${String(interchangeControl).padStart(9, '0')}.x12`;
  await ports.transport.send(profile.id, fileName, Buffer.from(text, 'utf8'));
  if (profile.acks.expectForOutbound && ports.tracker) {
    await ports.tracker.expect({
      partnerId: profile.id,
      interchangeControl,
      groupControl,
      functionalId,
      sentAt: now.toISOString(),
      dueAt: new Date(now.getTime() + profile.slaHours * 3_600_000).toISOString(),
    });
  }
  return { fileName, interchangeControl, groupControl, text };
}
