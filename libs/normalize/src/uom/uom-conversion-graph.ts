import { Fraction } from './rational';
import type { Lineage } from '@crossdock/domain';
import type { DqIssue } from '../dq/dq-issue';
import { itemEntity } from '../dq/dq-issue';
import type { UomCodeTable } from './uom-code-table';

interface Edge {
  to: string;
  /** 1 `from` = factor `to`. */
  factor: Fraction;
  /** The factor as written in the source; for the reverse edge, the factor of the edge it reverses. */
  declared: string;
  reversed: boolean;
}

function declaredText(edge: Edge): string {
  return edge.reversed ? `1/${edge.declared}` : edge.declared;
}

type Adjacency = Map<string, Edge[]>;

export type ConversionResult =
  | { ok: true; exact: Fraction; value: number }
  | { ok: false; reason: 'no-path' | 'inconsistent'; message: string };

export interface ConversionInput {
  sku?: string;
  fromUom: string;
  toUom: string;
  factor: string;
  lineage?: Lineage;
}

const DECIMAL_OR_RATIO = /^\s*\d+(\.\d+)?(\s*\/\s*\d+(\.\d+)?)?\s*$/;

// Pack factors repeat across a catalogue ("12", "40"); one shared immutable rational per text keeps
// 180,000 hierarchies from each holding their own BigInts.
const FACTOR_CACHE = new Map<string, Fraction | null>();

/** Parses "12", "0.45359237" or "1/3" exactly; undefined for anything else or a non-positive value. */
export function parseFactor(text: string): Fraction | undefined {
  const cached = FACTOR_CACHE.get(text);
  if (cached !== undefined) return cached ?? undefined;
  const parsed = parseFactorText(text);
  if (FACTOR_CACHE.size < 10_000) FACTOR_CACHE.set(text, parsed ?? null);
  return parsed;
}

function parseFactorText(text: string): Fraction | undefined {
  if (!DECIMAL_OR_RATIO.test(text)) return undefined;
  const [numerator, denominator] = text.split('/').map((part) => new Fraction(part.trim()));
  if (denominator !== undefined && denominator.compare(0) === 0) return undefined;
  const factor = denominator === undefined ? numerator : numerator.div(denominator);
  return factor.compare(0) > 0 ? factor : undefined;
}

function toExact(quantity: number): Fraction {
  // Through the decimal text, so 0.1 is one tenth rather than the binary double nearest to it.
  return new Fraction(Number.isInteger(quantity) ? quantity : String(quantity));
}

/**
 * Unit conversions as a graph: global dimensional conversions derived from the code list (1 LB =
 * 0.45359237 KG) plus per-item pack hierarchies (1 PL = 40 CA, 1 CA = 12 EA). Factors are exact
 * rationals; a conversion walks the shortest path (BFS) and multiplies along it. The only rounding
 * is the final `value`, the double nearest to the exact result; `exact` keeps the rational.
 */
export class UomConversionGraph {
  private readonly global: Adjacency = new Map();
  private readonly perItem = new Map<string, Adjacency>();
  private readonly inconsistentItems = new Map<string, DqIssue>();
  /** sku ('' for global) → `from>to` → converter (null: no path). */
  private readonly converterCache = new Map<string, Map<string, ((quantity: number) => number) | null>>();
  /** Converters are shared by every item with the same factor. */
  private readonly convertersByFactor = new Map<string, (quantity: number) => number>();
  private readonly inverses = new WeakMap<Fraction, Fraction>();

  constructor(private readonly codes: UomCodeTable) {
    const references = new Map<string, string>();
    for (const definition of codes.definitions()) {
      if (definition.size === undefined) continue;
      const reference = references.get(definition.dimension);
      if (reference === undefined) references.set(definition.dimension, definition.code);
      else this.link(this.global, definition.code, reference, new Fraction(definition.size).div(this.sizeOf(reference)), definition.size);
    }
  }

  /**
   * Adds one conversion. Returns issues for an unknown unit or a factor that is not a positive
   * exact number; the conversion is then not added.
   */
  add(input: ConversionInput): DqIssue[] {
    const from = this.codes.resolve(input.fromUom);
    const to = this.codes.resolve(input.toUom);
    const entity = input.sku ? itemEntity(input.sku) : { type: 'uom-conversion' as const, key: `${input.fromUom}->${input.toUom}` };
    const issues: DqIssue[] = [];
    for (const [field, raw, resolved] of [
      ['fromUom', input.fromUom, from],
      ['toUom', input.toUom, to],
    ] as const) {
      if (resolved === undefined) {
        issues.push({
          rule: 'unknown-uom',
          severity: 'blocking',
          entity,
          message: `conversion ${input.fromUom} -> ${input.toUom}${input.sku ? ` of ${input.sku}` : ''}: unknown unit ${raw}`,
          evidence: { field, code: raw },
          lineage: input.lineage,
        });
      }
    }
    const factor = parseFactor(input.factor);
    if (factor === undefined) {
      issues.push({
        rule: 'invalid-value',
        severity: 'blocking',
        entity,
        message: `conversion ${input.fromUom} -> ${input.toUom}${input.sku ? ` of ${input.sku}` : ''}: factor "${input.factor}" is not a positive number`,
        evidence: { field: 'factor', value: input.factor },
        lineage: input.lineage,
      });
    }
    if (issues.length > 0 || from === undefined || to === undefined || factor === undefined) return issues;
    let adjacency = this.global;
    if (input.sku !== undefined) {
      adjacency = this.perItem.get(input.sku) ?? new Map<string, Edge[]>();
      this.perItem.set(input.sku, adjacency);
      this.inconsistentItems.delete(input.sku);
    }
    this.link(adjacency, from, to, factor, input.factor);
    if (input.sku === undefined) this.converterCache.clear();
    else this.converterCache.delete(input.sku);
    return [];
  }

  /** Units the item has a pack hierarchy for. */
  itemUnits(sku: string): string[] {
    return [...(this.perItem.get(sku)?.keys() ?? [])];
  }

  /** Exact factor with 1 `from` = factor `to`, or undefined when no path exists. */
  factor(from: string, to: string, sku?: string): Fraction | undefined {
    if (from === to) return new Fraction(1);
    return this.search(from, to, sku);
  }

  convert(quantity: number, from: string, to: string, sku?: string): ConversionResult {
    if (sku !== undefined && this.inconsistentItems.has(sku)) {
      return { ok: false, reason: 'inconsistent', message: `the unit conversions of ${sku} contradict each other` };
    }
    const factor = this.factor(from, to, sku);
    if (factor === undefined) {
      return { ok: false, reason: 'no-path', message: `no conversion from ${from} to ${to}${sku ? ` for ${sku}` : ''}` };
    }
    if (Number.isSafeInteger(quantity) && factor.d === 1n) {
      const value = quantity * Number(factor.n) * (factor.s < 0n ? -1 : 1);
      if (Number.isSafeInteger(value)) return { ok: true, exact: new Fraction(value), value };
    }
    const exact = toExact(quantity).mul(factor);
    return { ok: true, exact, value: exact.valueOf() };
  }

  /**
   * A compiled converter for hot paths (hundreds of thousands of balances): integer factors
   * multiply doubles directly, which is exact while the result is a safe integer; everything else
   * goes through the exact rational. Undefined when `convert` would fail.
   */
  converter(from: string, to: string, sku?: string): ((quantity: number) => number) | undefined {
    if (sku !== undefined && this.inconsistentItems.has(sku)) return undefined;
    let perSku = this.converterCache.get(sku ?? '');
    if (perSku === undefined) {
      perSku = new Map();
      this.converterCache.set(sku ?? '', perSku);
    }
    const key = `${from}>${to}`;
    const cached = perSku.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const built = this.buildConverter(from, to, sku);
    perSku.set(key, built ?? null);
    return built;
  }

  private buildConverter(from: string, to: string, sku?: string): ((quantity: number) => number) | undefined {
    const factor = this.factor(from, to, sku);
    if (factor === undefined) return undefined;
    const text = factor.toFraction();
    const shared = this.convertersByFactor.get(text);
    if (shared !== undefined) return shared;
    const converter = this.compile(factor);
    this.convertersByFactor.set(text, converter);
    return converter;
  }

  private compile(factor: Fraction): (quantity: number) => number {
    if (factor.d === 1n) {
      const multiplier = Number(factor.n) * (factor.s < 0n ? -1 : 1);
      return (quantity) => {
        const value = quantity * multiplier;
        return Number.isSafeInteger(value) && Number.isSafeInteger(quantity) ? value : toExact(quantity).mul(factor).valueOf();
      };
    }
    return (quantity) => toExact(quantity).mul(factor).valueOf();
  }

  /**
   * Checks that every cycle of conversions multiplies to exactly 1, for one item (its pack
   * hierarchy together with the global units) or for the global table. Each unit gets its size
   * relative to a root by BFS; an edge that disagrees with the sizes already assigned closes a
   * cycle whose product is not 1. Such an item is reported once and refuses conversions.
   */
  checkConsistency(sku?: string): DqIssue[] {
    const issues: DqIssue[] = [];
    const adjacency = sku === undefined ? this.global : this.perItem.get(sku);
    if (adjacency === undefined) return issues;
    if (sku !== undefined && this.isTreeWithOneGlobalUnit(adjacency)) return issues;
    const size = new Map<string, Fraction>();
    const parent = new Map<string, string | undefined>();
    for (const root of adjacency.keys()) {
      if (size.has(root)) continue;
      size.set(root, new Fraction(1));
      parent.set(root, undefined);
      const queue = [root];
      for (let head = 0; head < queue.length; head += 1) {
        const unit = queue[head];
        const unitSize = size.get(unit) as Fraction;
        for (const edge of this.edgesOf(unit, sku)) {
          // 1 unit = factor edge.to, so size(to) = size(unit) / factor when sizes are "units per root".
          const implied = unitSize.div(edge.factor);
          const known = size.get(edge.to);
          if (known === undefined) {
            size.set(edge.to, implied);
            parent.set(edge.to, unit);
            queue.push(edge.to);
          } else if (!known.equals(implied) && issues.length === 0) {
            const viaTree = unitSize.div(known);
            issues.push({
              rule: 'inconsistent-uom-conversion',
              severity: 'blocking',
              entity: sku === undefined ? { type: 'uom-conversion', key: 'global' } : itemEntity(sku),
              message: `${sku ?? 'global units'}: 1 ${unit} = ${declaredText(edge)} ${edge.to} contradicts 1 ${unit} = ${viaTree.toFraction()} ${edge.to} derived from ${this.pathTo(parent, unit).join(' -> ')} and ${this.pathTo(parent, edge.to).join(' -> ')}`,
              evidence: {
                from: unit,
                to: edge.to,
                declaredFactor: declaredText(edge),
                derivedFactor: viaTree.toFraction(),
                cycleProduct: edge.factor.div(viaTree).toFraction(),
                pathToFrom: this.pathTo(parent, unit),
                pathToTo: this.pathTo(parent, edge.to),
              },
            });
          }
        }
      }
    }
    if (sku !== undefined && issues.length > 0) {
      this.inconsistentItems.set(sku, issues[0]);
      this.converterCache.delete(sku);
    }
    return issues;
  }

  /**
   * A hierarchy with one edge fewer than units and at most one unit shared with the global table
   * has no cycle at all, so there is nothing to contradict (the usual EA < CA < PL chain).
   */
  private isTreeWithOneGlobalUnit(adjacency: Adjacency): boolean {
    let directedEdges = 0;
    let sharedUnits = 0;
    for (const [unit, edges] of adjacency) {
      directedEdges += edges.length;
      if (this.global.has(unit)) sharedUnits += 1;
    }
    return directedEdges / 2 === adjacency.size - 1 && sharedUnits <= 1;
  }

  /** Checks every item with a pack hierarchy. */
  checkAllItems(): DqIssue[] {
    const issues: DqIssue[] = [];
    for (const sku of this.perItem.keys()) issues.push(...this.checkConsistency(sku));
    return issues;
  }

  private sizeOf(code: string): Fraction {
    return new Fraction(this.codes.definition(code)?.size ?? '1');
  }

  private link(adjacency: Adjacency, from: string, to: string, factor: Fraction, declared: string): void {
    const forward = adjacency.get(from) ?? [];
    const backward = adjacency.get(to) ?? [];
    forward.push({ to, factor, declared, reversed: false });
    let inverse = this.inverses.get(factor);
    if (inverse === undefined) {
      inverse = factor.inverse();
      this.inverses.set(factor, inverse);
    }
    backward.push({ to: from, factor: inverse, declared, reversed: true });
    adjacency.set(from, forward);
    adjacency.set(to, backward);
  }

  private edgesOf(unit: string, sku?: string): Edge[] {
    const own = sku === undefined ? undefined : this.perItem.get(sku)?.get(unit);
    const global = this.global.get(unit);
    if (own === undefined) return global ?? [];
    if (global === undefined) return own;
    return [...own, ...global];
  }

  private search(from: string, to: string, sku?: string): Fraction | undefined {
    const reached = new Map<string, Fraction>([[from, new Fraction(1)]]);
    const queue = [from];
    for (let head = 0; head < queue.length; head += 1) {
      const unit = queue[head];
      const soFar = reached.get(unit) as Fraction;
      for (const edge of this.edgesOf(unit, sku)) {
        if (reached.has(edge.to)) continue;
        const factor = soFar.mul(edge.factor);
        if (edge.to === to) return factor;
        reached.set(edge.to, factor);
        queue.push(edge.to);
      }
    }
    return undefined;
  }

  private pathTo(parent: Map<string, string | undefined>, unit: string): string[] {
    const path: string[] = [];
    for (let current: string | undefined = unit; current !== undefined; current = parent.get(current)) path.unshift(current);
    return path;
  }
}
