import { InputError, type InputIssue } from '@crossdock/domain';
import type { DuplicateAction } from '../envelope/envelope.types';
import type { InterchangeHeader } from '../envelope/envelope.types';
import type { GuideOverride } from '../guides/guide';
import type { OutboundDelimiters } from '../outbound/x12-writer';

export type FunctionalAckKind = '997' | '999' | 'none';
export type Ta1Policy = 'always' | 'on-error' | 'never';

/** A trading partner: who they are on the envelope and how we talk to them. */
export interface TradingPartnerProfile {
  id: string;
  name: string;
  /** The partner's interchange id (ISA05/06 when they send, ISA07/08 when we send). */
  isaQualifier: string;
  isaId: string;
  gsId: string;
  /** Our own ids as this partner knows them. */
  ourIsaQualifier: string;
  ourIsaId: string;
  ourGsId: string;
  version: '004010' | '005010';
  usage: 'P' | 'T';
  outboundDelimiters: OutboundDelimiters;
  acks: {
    functional: FunctionalAckKind;
    /** Per functional group (GS01) or set (ST01) override, e.g. `{ "IB": "none", "856": "999" }`. */
    perGroupOrSet?: Record<string, FunctionalAckKind>;
    ta1: Ta1Policy;
    /** Whether our outbound groups expect a 997/999 back (tracked against `slaHours`). */
    expectForOutbound: boolean;
  };
  slaHours: number;
  duplicateWindowHours: number;
  duplicates: { interchange: DuplicateAction; group: DuplicateAction; set: DuplicateAction };
  transport: { connection: string; inboundFolder: string; outboundFolder: string };
  guideOverrides?: Record<string, GuideOverride>;
}

const DEFAULTS = {
  version: '004010',
  usage: 'P',
  outboundDelimiters: { element: '*', component: '>', repetition: '^', segment: '~', lineBreak: true },
  acks: { functional: '997', ta1: 'on-error', expectForOutbound: true },
  slaHours: 24,
  duplicateWindowHours: 24 * 30,
  duplicates: { interchange: 'reject', group: 'reject', set: 'reject' },
} as const;

type Json = Record<string, unknown>;

/**
 * Reads a partner profile from plain JSON (a file under mappings/partners/ or an API body),
 * filling defaults and reporting every wrong field with its name.
 */
export function parsePartnerProfile(input: unknown, source = 'partner profile'): TradingPartnerProfile {
  const issues: InputIssue[] = [];
  const fail = (field: string, message: string): void => {
    issues.push({ code: 'PARTNER_FIELD', message, place: { source, field }, severity: 'error' });
  };
  const obj = (value: unknown): Json => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
  const raw = obj(input);
  const text = (field: string, pattern: RegExp, from: Json = raw, name = field, fallback?: string): string => {
    const value = from[field] ?? fallback;
    if (typeof value !== 'string' || !pattern.test(value)) {
      fail(name, `${name} must match ${pattern.source}`);
      return '';
    }
    return value;
  };
  const oneOf = <T extends string>(value: unknown, allowed: readonly T[], name: string, fallback: T): T => {
    if (value === undefined) return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    fail(name, `${name} must be one of ${allowed.join(', ')}`);
    return fallback;
  };
  const hours = (value: unknown, name: string, fallback: number): number => {
    if (value === undefined) return fallback;
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
    fail(name, `${name} must be a positive number of hours`);
    return fallback;
  };
  const acks = obj(raw.acks);
  const duplicates = obj(raw.duplicates);
  const transport = obj(raw.transport);
  const delimiters = { ...DEFAULTS.outboundDelimiters, ...obj(raw.outboundDelimiters) } as Json;
  const actions = ['reject', 'warn', 'accept'] as const;
  const ackKinds = ['997', '999', 'none'] as const;
  const perGroupOrSet: Record<string, FunctionalAckKind> = {};
  for (const [key, value] of Object.entries(obj(acks.perGroupOrSet))) {
    perGroupOrSet[key] = oneOf(value, ackKinds, `acks.perGroupOrSet.${key}`, 'none');
  }
  const delimiterChar = (field: string): string => {
    const value = delimiters[field];
    if (typeof value !== 'string' || value.length !== 1 || /[A-Za-z0-9 ]/.test(value)) {
      fail(`outboundDelimiters.${field}`, `outboundDelimiters.${field} must be one character that is not a letter, digit or space`);
      return '';
    }
    return value;
  };
  const profile: TradingPartnerProfile = {
    id: text('id', /^[a-z0-9][a-z0-9-]{0,62}$/),
    name: text('name', /^.{1,120}$/),
    isaQualifier: text('isaQualifier', /^[A-Z0-9]{2}$/),
    isaId: text('isaId', /^[^\s].{0,14}$/),
    gsId: text('gsId', /^.{2,15}$/),
    ourIsaQualifier: text('ourIsaQualifier', /^[A-Z0-9]{2}$/),
    ourIsaId: text('ourIsaId', /^[^\s].{0,14}$/),
    ourGsId: text('ourGsId', /^.{2,15}$/),
    version: oneOf(raw.version, ['004010', '005010'] as const, 'version', DEFAULTS.version),
    usage: oneOf(raw.usage, ['P', 'T'] as const, 'usage', DEFAULTS.usage),
    outboundDelimiters: {
      element: delimiterChar('element'),
      component: delimiterChar('component'),
      repetition: delimiterChar('repetition'),
      segment: delimiterChar('segment'),
      lineBreak: delimiters.lineBreak !== false,
    },
    acks: {
      functional: oneOf(acks.functional, ackKinds, 'acks.functional', DEFAULTS.acks.functional),
      perGroupOrSet,
      ta1: oneOf(acks.ta1, ['always', 'on-error', 'never'] as const, 'acks.ta1', DEFAULTS.acks.ta1),
      expectForOutbound: acks.expectForOutbound === undefined ? DEFAULTS.acks.expectForOutbound : acks.expectForOutbound === true,
    },
    slaHours: hours(raw.slaHours, 'slaHours', DEFAULTS.slaHours),
    duplicateWindowHours: hours(raw.duplicateWindowHours, 'duplicateWindowHours', DEFAULTS.duplicateWindowHours),
    duplicates: {
      interchange: oneOf(duplicates.interchange, actions, 'duplicates.interchange', DEFAULTS.duplicates.interchange),
      group: oneOf(duplicates.group, actions, 'duplicates.group', DEFAULTS.duplicates.group),
      set: oneOf(duplicates.set, actions, 'duplicates.set', DEFAULTS.duplicates.set),
    },
    transport: {
      connection: text('connection', /^[a-z0-9][a-z0-9-]{0,62}$/, transport, 'transport.connection'),
      inboundFolder: text('inboundFolder', /^\/.*/, transport, 'transport.inboundFolder'),
      outboundFolder: text('outboundFolder', /^\/.*/, transport, 'transport.outboundFolder'),
    },
    guideOverrides: raw.guideOverrides === undefined ? undefined : (obj(raw.guideOverrides) as Record<string, GuideOverride>),
  };
  const used = [profile.outboundDelimiters.element, profile.outboundDelimiters.component, profile.outboundDelimiters.repetition, profile.outboundDelimiters.segment];
  if (new Set(used).size !== used.length) fail('outboundDelimiters', 'outbound delimiters must all differ');
  if (issues.length > 0) throw new InputError(issues);
  return profile;
}

/** Which functional ack (if any) a received group gets. Acks are never acknowledged. */
export function functionalAckFor(profile: TradingPartnerProfile, functionalId: string, setIds: readonly string[]): FunctionalAckKind {
  if (functionalId === 'FA') return 'none';
  const perSet = setIds.map((id) => profile.acks.perGroupOrSet?.[id]).find((kind) => kind !== undefined);
  return perSet ?? profile.acks.perGroupOrSet?.[functionalId] ?? profile.acks.functional;
}

export interface PartnerResolver {
  /** Finds the partner that sent an interchange (by ISA05/06 and the receiving ISA07/08). */
  byInterchange(header: InterchangeHeader): Promise<TradingPartnerProfile | null>;
  byId(id: string): Promise<TradingPartnerProfile | null>;
}

export class StaticPartnerResolver implements PartnerResolver {
  constructor(private readonly profiles: readonly TradingPartnerProfile[]) {}

  async byInterchange(header: InterchangeHeader): Promise<TradingPartnerProfile | null> {
    return (
      this.profiles.find(
        (p) =>
          p.isaQualifier === header.senderQualifier &&
          p.isaId.trim() === header.senderId &&
          p.ourIsaQualifier === header.receiverQualifier &&
          p.ourIsaId.trim() === header.receiverId,
      ) ?? null
    );
  }

  async byId(id: string): Promise<TradingPartnerProfile | null> {
    return this.profiles.find((p) => p.id === id) ?? null;
  }
}
