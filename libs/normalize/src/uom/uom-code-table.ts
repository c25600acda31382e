import type { UomCodeDefinition } from './uom-code-list';
import { UOM_CODE_LIST } from './uom-code-list';

/**
 * Which code list a unit code comes from: `canonical`, `x12` (355), `rec20`, or any other name (a
 * connection, `erp`, `csv`) that uses its own overrides plus the canonical codes and aliases.
 */
export type UomCodeSystem = string;

export interface UomCodeMapping {
  system: string;
  code: string;
  canonical: string;
}

/**
 * Translates unit codes from X12 355, UN/ECE Rec 20 and source-specific spellings to canonical
 * codes. A source-specific mapping wins over the standard lists, so a partner who sends `CS` for
 * "case" is mapped explicitly; an unknown code returns undefined and is never guessed.
 */
export class UomCodeTable {
  private readonly byCanonical = new Map<string, UomCodeDefinition>();
  private readonly bySystem = new Map<string, Map<string, string>>();
  private readonly common = new Map<string, string>();

  constructor(definitions: readonly UomCodeDefinition[] = UOM_CODE_LIST, mappings: readonly UomCodeMapping[] = []) {
    for (const definition of definitions) {
      this.byCanonical.set(definition.code, definition);
      this.common.set(definition.code, definition.code);
      for (const alias of definition.aliases ?? []) this.common.set(alias.toUpperCase(), definition.code);
      if (definition.x12) this.systemMap('x12').set(definition.x12, definition.code);
      if (definition.rec20) this.systemMap('rec20').set(definition.rec20, definition.code);
    }
    for (const mapping of mappings) this.addMapping(mapping);
  }

  /** Adds a source-specific code; throws when the target is not a canonical unit. */
  addMapping(mapping: UomCodeMapping): void {
    if (!this.byCanonical.has(mapping.canonical)) {
      throw new Error(`unit mapping ${mapping.system}:${mapping.code} targets unknown canonical unit ${mapping.canonical}`);
    }
    this.systemMap(mapping.system).set(mapping.code.trim().toUpperCase(), mapping.canonical);
  }

  /** The canonical code, or undefined when the code is unknown in that system. */
  resolve(code: string, system: UomCodeSystem = 'canonical'): string | undefined {
    const normalized = code.trim().toUpperCase();
    if (normalized === '') return undefined;
    if (system !== 'canonical') {
      const specific = this.bySystem.get(system)?.get(normalized);
      if (specific !== undefined) return specific;
      // The standard lists are authoritative for their own system: no fallback to loose aliases.
      if (system === 'x12' || system === 'rec20') return undefined;
    }
    return this.common.get(normalized);
  }

  definition(canonical: string): UomCodeDefinition | undefined {
    return this.byCanonical.get(canonical);
  }

  /** The code to send in a given standard, e.g. `toSystem('CA', 'rec20')` is `XCS`. */
  toSystem(canonical: string, system: 'x12' | 'rec20'): string | undefined {
    return this.byCanonical.get(canonical)?.[system];
  }

  definitions(): UomCodeDefinition[] {
    return [...this.byCanonical.values()];
  }

  private systemMap(system: string): Map<string, string> {
    let map = this.bySystem.get(system);
    if (!map) {
      map = new Map();
      this.bySystem.set(system, map);
    }
    return map;
  }
}
