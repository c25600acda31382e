import type { GroupResult, InterchangeResult, SetResult } from '../envelope/envelope.types';
import type { OutboundDelimiters, OutboundGroup, OutboundSet, SegmentData } from '../outbound/x12-writer';

export type FunctionalAck = '997' | '999';

/** Keeps an echoed bad value printable and free of the delimiters it will be written with. */
function echo(value: string | undefined, delimiters: OutboundDelimiters): string | undefined {
  if (value === undefined) return undefined;
  const forbidden = new Set([delimiters.element, delimiters.component, delimiters.segment, delimiters.repetition ?? '']);
  const clean = [...value].filter((c) => !forbidden.has(c) && c >= ' ' && c !== '\u007f').join('');
  return clean.slice(0, 99) || undefined;
}

function setErrorSegments(set: SetResult, kind: FunctionalAck, delimiters: OutboundDelimiters): SegmentData[] {
  const out: SegmentData[] = [];
  for (const error of set.errors) {
    out.push([kind === '997' ? 'AK3' : 'IK3', error.segmentId, String(error.position), error.loopId, error.code]);
    for (const element of error.elements.slice(0, 99)) {
      const position =
        kind === '997'
          ? [String(element.position), element.component === undefined ? undefined : String(element.component)]
          : [String(element.position), element.component === undefined ? undefined : String(element.component), element.repeat === undefined ? undefined : String(element.repeat)];
      out.push([kind === '997' ? 'AK4' : 'IK4', position, element.elementRef, element.code, echo(element.badValue, delimiters)]);
    }
  }
  return out;
}

/** A 997 or 999 for one received functional group, with AK2…AK5 (IK3/IK4/IK5) per set. */
export function functionalAckSet(group: GroupResult, kind: FunctionalAck, delimiters: OutboundDelimiters): OutboundSet {
  const is5010 = group.header.version.startsWith('005');
  const segments: SegmentData[] = [];
  segments.push(is5010 ? ['AK1', group.header.functionalId, group.header.controlNumber, group.header.version] : ['AK1', group.header.functionalId, group.header.controlNumber]);
  for (const set of group.sets) {
    segments.push(is5010 && set.implementationRef ? ['AK2', set.setId, set.controlNumber, set.implementationRef] : ['AK2', set.setId, set.controlNumber]);
    segments.push(...setErrorSegments(set, kind, delimiters));
    segments.push([kind === '997' ? 'AK5' : 'IK5', set.verdict, ...set.setCodes.slice(0, 5)]);
  }
  const accepted = group.verdict === 'R' ? 0 : group.sets.filter((s) => s.verdict !== 'R').length;
  segments.push(['AK9', group.verdict, String(group.sets.length), String(group.sets.length), String(accepted), ...group.groupCodes.slice(0, 5)]);
  return {
    setId: kind,
    implementationRef: is5010 ? (kind === '997' ? '005010X230' : '005010X231') : undefined,
    segments,
  };
}

/** The GS08 an ack carries: it follows the version of the group it answers. */
export function ackGroupVersion(inboundVersion: string, kind: FunctionalAck): string {
  if (kind === '999') return '005010X231';
  return inboundVersion.startsWith('005') ? '005010X230' : inboundVersion.slice(0, 6);
}

/** TA1 for an interchange: accepted (`A`/`000`) or rejected with its note code. */
export function ta1Segment(interchange: InterchangeResult, noteCode = interchange.ta1Code): SegmentData {
  const { header } = interchange;
  return ['TA1', header.controlNumber, header.date, header.time, noteCode === '000' ? 'A' : 'R', noteCode];
}

/** Whether a TA1 goes back: on the partner's policy, or because ISA14 asked for one. */
export function wantsTa1(interchange: InterchangeResult, policy: 'always' | 'on-error' | 'never', noteCode = interchange.ta1Code): boolean {
  if (policy === 'never') return false;
  if (policy === 'always' || interchange.header.ackRequested === '1') return true;
  return noteCode !== '000';
}

export interface AckGroupPlan {
  group: GroupResult;
  kind: FunctionalAck;
}

/** Builds the FA groups of an ack interchange; one ack group per inbound group that wants one. */
export function ackGroups(
  plans: readonly AckGroupPlan[],
  delimiters: OutboundDelimiters,
  controls: { group: number; set: number }[],
): OutboundGroup[] {
  return plans.map((plan, i) => ({
    functionalId: 'FA',
    applicationSender: plan.group.header.applicationReceiver,
    applicationReceiver: plan.group.header.applicationSender,
    version: ackGroupVersion(plan.group.header.version, plan.kind),
    controlNumber: controls[i].group,
    firstSetControl: controls[i].set,
    sets: [functionalAckSet(plan.group, plan.kind, delimiters)],
  }));
}
