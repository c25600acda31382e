import codesData from './data/codes.json';
import segmentsData from './data/segments.json';
import setsData from './data/sets.json';
import { compileByteCheck, segmentKeyOf, type ByteSegmentCheck } from '../validation/byte-check';

/**
 * Implementation guides are data (guides/data/*.json): a segment dictionary, closed code lists and
 * one structure per transaction set. This module compiles them, with any partner overrides, into
 * the form the streaming validator walks.
 */

export type Requirement = 'M' | 'O' | 'X';

export interface ElementRule {
  ref: string;
  req: Requirement;
  type: string;
  min: number;
  max: number;
  codes?: ReadonlySet<string>;
  components?: ElementRule[];
}

export interface SyntaxRule {
  kind: 'P' | 'R' | 'C' | 'L' | 'E';
  positions: number[];
  text: string;
}

export interface SegmentRule {
  id: string;
  elements: ElementRule[];
  syntax: SyntaxRule[];
  /** The same rule compiled for the validator's byte-level fast path. */
  bytes: ByteSegmentCheck;
}

export interface SegmentNode {
  kind: 'segment';
  id: string;
  req: 'M' | 'O';
  max: number;
  rule?: SegmentRule;
}

export interface LoopNode {
  kind: 'loop';
  id: string;
  req: 'M' | 'O';
  max: number;
  body: StructureNode[];
  /** For each segment id, the body positions it can match (a segment, or a loop it starts), ascending. */
  positions: ReadonlyMap<string, readonly number[]>;
  /** `positions` keyed by the numeric segment id (see `segmentKeyOf`), for lookups straight from bytes. */
  keys: ReadonlyMap<number, readonly number[]>;
  /** Body positions of mandatory segments and loops, ascending. */
  mandatory: readonly number[];
  /** `keys` again, indexed by the guide's segment ordinal (`CompiledGuide.ordinals`); filled when the guide is compiled. */
  slots: (readonly number[] | undefined)[];
  /** Ordinal of the loop within its guide (the root is 0); filled when the guide is compiled. */
  ordinal: number;
}

export type StructureNode = SegmentNode | LoopNode;

export interface CompiledGuide {
  setId: string;
  version: GuideVersion;
  functionalId: string;
  root: LoopNode;
  /** Every segment id the set's structure names. */
  ids: ReadonlySet<string>;
  /** A small ordinal for each segment id of the structure, by numeric id (`segmentKeyOf`). */
  ordinals: ReadonlyMap<number, number>;
  /** How many loops the structure has (root included). */
  loops: number;
}

export type GuideVersion = '004010' | '005010';
export const GUIDE_VERSIONS: readonly GuideVersion[] = ['004010', '005010'];

/** Partner-specific changes to a guide, e.g. `{ elements: { BEG05: { req: 'O' } }, segments: { REF: { max: 5 } } }`. */
export interface GuideOverride {
  elements?: Record<string, { req?: Requirement; codes?: string[]; min?: number; max?: number }>;
  segments?: Record<string, { req?: 'M' | 'O'; max?: number }>;
}

type StructureEntry = string | { loop: string; req: string; max: number; body: StructureEntry[] };
interface SetEntry {
  functionalId: string;
  structure: StructureEntry[];
}
interface SegmentEntry {
  e: string[];
  s?: string[];
}

const SEGMENTS = segmentsData as unknown as {
  base: Record<string, SegmentEntry>;
  versions: Record<string, Record<string, SegmentEntry>>;
};
const SETS = setsData as unknown as Record<string, SetEntry | string>;
const CODES = codesData as unknown as Record<string, string[] | string>;

export const GUIDE_SET_IDS: readonly string[] = Object.keys(SETS).filter((k) => !k.startsWith('$'));

/**
 * Maps a GS08 version (e.g. `004010VICS`, `005010X231`) to the guide version that covers it. The
 * 997 is the exception: its AK1–AK9 segments kept their layout from 002 to 004, so a group of an
 * older version is acknowledged (and an older 997 read) with the 004010 guide, in that group's
 * version: a partner on 003010 still gets its 997.
 */
export function guideVersionFor(gs08: string, setId?: string): GuideVersion | null {
  if (gs08.startsWith('004')) return '004010';
  if (gs08.startsWith('005')) return '005010';
  if (setId === '997' && /^00[23]\d{3}/.test(gs08)) return '004010';
  return null;
}

const ELEMENT = /^(\w+) ([MOX]) (ID|AN|DT|TM|R|N\d?|B) (\d+) (\d+)$/;
const COMPOSITE = /^(\w+) ([MOX]) C\[(.*)\]$/;

function parseElement(spec: string, where: string): ElementRule {
  const composite = COMPOSITE.exec(spec);
  if (composite) {
    return {
      ref: composite[1],
      req: composite[2] as Requirement,
      type: 'C',
      min: 0,
      max: 0,
      components: composite[3].split(';').map((c) => parseElement(c.trim(), where)),
    };
  }
  const m = ELEMENT.exec(spec);
  if (!m) throw new Error(`guide: bad element spec "${spec}" in ${where}`);
  const list = CODES[m[1]];
  return {
    ref: m[1],
    req: m[2] as Requirement,
    type: m[3] === 'N' ? 'N0' : m[3],
    min: Number(m[4]),
    max: Number(m[5]),
    codes: m[3] === 'ID' && Array.isArray(list) ? new Set(list) : undefined,
  };
}

function parseSyntax(note: string): SyntaxRule {
  const kind = note[0] as SyntaxRule['kind'];
  const digits = note.slice(1);
  if (!'PRCLE'.includes(kind) || digits.length % 2 !== 0) throw new Error(`guide: bad syntax note ${note}`);
  const positions: number[] = [];
  for (let i = 0; i < digits.length; i += 2) positions.push(Number(digits.slice(i, i + 2)));
  return { kind, positions, text: note };
}

function segmentRule(
  id: string,
  version: GuideVersion,
  override: GuideOverride | undefined,
): SegmentRule | undefined {
  const entry = SEGMENTS.versions[version]?.[id] ?? SEGMENTS.base[id];
  if (!entry) return undefined;
  const elements = entry.e.map((spec) => parseElement(spec, id));
  if (override?.elements) {
    elements.forEach((rule, index) => {
      const change = override.elements![`${id}${String(index + 1).padStart(2, '0')}`];
      if (!change) return;
      elements[index] = {
        ...rule,
        req: change.req ?? rule.req,
        min: change.min ?? rule.min,
        max: change.max ?? rule.max,
        codes: change.codes ? new Set(change.codes) : rule.codes,
      };
    });
  }
  const rule = { id, elements, syntax: (entry.s ?? []).map(parseSyntax) };
  return { ...rule, bytes: compileByteCheck(rule) };
}

function compileNodes(
  entries: StructureEntry[],
  version: GuideVersion,
  override: GuideOverride | undefined,
  ids: Set<string>,
): StructureNode[] {
  return entries.map((entry): StructureNode => {
    if (typeof entry === 'string') {
      const [id, req, max] = entry.split(' ');
      ids.add(id);
      const change = override?.segments?.[id];
      return {
        kind: 'segment',
        id,
        req: change?.req ?? (req === 'M' ? 'M' : 'O'),
        max: change?.max ?? Number(max),
        rule: segmentRule(id, version, override),
      };
    }
    return loopNode(
      entry.loop,
      entry.req === 'M' ? 'M' : 'O',
      entry.max,
      compileNodes(entry.body, version, override, ids),
    );
  });
}

function firstSegmentId(node: StructureNode): string {
  return node.kind === 'segment' ? node.id : firstSegmentId(node.body[0]);
}

function loopNode(id: string, req: 'M' | 'O', max: number, body: StructureNode[]): LoopNode {
  const positions = new Map<string, number[]>();
  body.forEach((node, index) => {
    const key = firstSegmentId(node);
    const list = positions.get(key);
    if (list) list.push(index);
    else positions.set(key, [index]);
  });
  const keys = new Map<number, number[]>();
  for (const [segmentId, list] of positions) keys.set(segmentKeyOf(segmentId), list);
  const mandatory = body.flatMap((node, index) => (node.req === 'M' ? [index] : []));
  return { kind: 'loop', id, req, max, body, positions, keys, mandatory, slots: [], ordinal: 0 };
}

const cache = new Map<string, CompiledGuide>();

/** The compiled guide for a set and version; null when the set has no guide. */
export function compileGuide(
  setId: string,
  version: GuideVersion,
  override?: GuideOverride,
): CompiledGuide | null {
  const entry = SETS[setId];
  if (!entry || typeof entry === 'string') return null;
  const key = `${setId}/${version}`;
  if (!override) {
    const hit = cache.get(key);
    if (hit) return hit;
  }
  const ids = new Set<string>();
  const root = loopNode(setId, 'M', 1, compileNodes(entry.structure, version, override, ids));
  const ordinals = new Map<number, number>([...ids].map((id, i) => [segmentKeyOf(id), i]));
  let loops = 0;
  const fillSlots = (loop: LoopNode): void => {
    loop.ordinal = loops++;
    loop.slots = [...ids].map((id) => loop.positions.get(id));
    for (const node of loop.body) if (node.kind === 'loop') fillSlots(node);
  };
  fillSlots(root);
  const guide: CompiledGuide = {
    setId,
    version,
    functionalId: entry.functionalId,
    root,
    ids,
    ordinals,
    loops,
  };
  if (!override) cache.set(key, guide);
  return guide;
}

/** The dictionary rule of a segment, for writers that check outbound data against the guide. */
export function dictionarySegment(id: string, version: GuideVersion): SegmentRule | undefined {
  return segmentRule(id, version, undefined);
}

export function isDictionarySegment(id: string): boolean {
  return id in SEGMENTS.base;
}
