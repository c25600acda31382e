import type { Uom } from '@crossdock/domain';

export interface UomCodeDefinition {
  code: string;
  name: string;
  dimension: Uom['dimension'];
  /** ASC X12 element 355 (unit or basis for measurement code). */
  x12?: string;
  /** UN/ECE Recommendation 20 common code; packaging units use the Rec 21 codes Rec 20 lists with an X prefix. */
  rec20?: string;
  /** Spellings seen in ERP and CSV extracts. */
  aliases?: string[];
  /**
   * Exact size in the dimension's reference unit (EA, KG, M, L, M2, H), as a decimal string.
   * Absent for packaging units, whose size is item-specific (a pack hierarchy).
   */
  size?: string;
}

/** The canonical units and their code in each standard list. Sizes are exact by definition (1 lb = 0.45359237 kg). */
export const UOM_CODE_LIST: readonly UomCodeDefinition[] = [
  {
    code: 'EA',
    name: 'each',
    dimension: 'count',
    x12: 'EA',
    rec20: 'EA',
    aliases: ['C62', 'H87', 'PC', 'PCE', 'PCS', 'NOS', 'EACH', 'UNIT', 'UN'],
    size: '1',
  },
  { code: 'PR', name: 'pair', dimension: 'count', x12: 'PR', rec20: 'PR', aliases: ['PAIR'], size: '2' },
  {
    code: 'DZ',
    name: 'dozen',
    dimension: 'count',
    x12: 'DZ',
    rec20: 'DZN',
    aliases: ['DOZ', 'DOZEN'],
    size: '12',
  },
  { code: 'CA', name: 'case', dimension: 'count', x12: 'CA', rec20: 'XCS', aliases: ['CS', 'CASE'] },
  { code: 'BX', name: 'box', dimension: 'count', x12: 'BX', rec20: 'XBX', aliases: ['BOX'] },
  { code: 'PK', name: 'package', dimension: 'count', x12: 'PK', rec20: 'XPK', aliases: ['PKG', 'PACK'] },
  { code: 'PL', name: 'pallet', dimension: 'count', x12: 'PL', rec20: 'XPX', aliases: ['PLT', 'PALLET'] },
  { code: 'CT', name: 'carton', dimension: 'count', x12: 'CT', rec20: 'XCT', aliases: ['CTN', 'CARTON'] },
  { code: 'BG', name: 'bag', dimension: 'count', x12: 'BG', rec20: 'XBG', aliases: ['BAG'] },
  { code: 'DR', name: 'drum', dimension: 'count', x12: 'DR', rec20: 'XDR', aliases: ['DRUM'] },
  { code: 'BO', name: 'bottle', dimension: 'count', x12: 'BO', rec20: 'XBO', aliases: ['BTL', 'BOTTLE'] },
  { code: 'RL', name: 'roll', dimension: 'count', x12: 'RL', rec20: 'XRO', aliases: ['ROLL'] },
  { code: 'ST', name: 'set', dimension: 'count', x12: 'ST', rec20: 'SET', aliases: ['SET'] },
  { code: 'KT', name: 'kit', dimension: 'count', x12: 'KT', rec20: 'KT', aliases: ['KIT'] },
  {
    code: 'KG',
    name: 'kilogram',
    dimension: 'mass',
    x12: 'KG',
    rec20: 'KGM',
    aliases: ['KGS', 'KILO'],
    size: '1',
  },
  { code: 'G', name: 'gram', dimension: 'mass', x12: 'GR', rec20: 'GRM', aliases: ['GRAM'], size: '0.001' },
  {
    code: 'LB',
    name: 'pound',
    dimension: 'mass',
    x12: 'LB',
    rec20: 'LBR',
    aliases: ['LBS'],
    size: '0.45359237',
  },
  {
    code: 'OZ',
    name: 'ounce (avoirdupois)',
    dimension: 'mass',
    x12: 'OZ',
    rec20: 'ONZ',
    size: '0.028349523125',
  },
  {
    code: 'M',
    name: 'metre',
    dimension: 'length',
    x12: 'MR',
    rec20: 'MTR',
    aliases: ['MTR', 'METER'],
    size: '1',
  },
  { code: 'CM', name: 'centimetre', dimension: 'length', x12: 'CM', rec20: 'CMT', size: '0.01' },
  { code: 'MM', name: 'millimetre', dimension: 'length', x12: 'MM', rec20: 'MMT', size: '0.001' },
  { code: 'IN', name: 'inch', dimension: 'length', x12: 'IN', rec20: 'INH', size: '0.0254' },
  { code: 'FT', name: 'foot', dimension: 'length', x12: 'FT', rec20: 'FOT', size: '0.3048' },
  { code: 'YD', name: 'yard', dimension: 'length', x12: 'YD', rec20: 'YRD', size: '0.9144' },
  {
    code: 'L',
    name: 'litre',
    dimension: 'volume',
    x12: 'LT',
    rec20: 'LTR',
    aliases: ['LTR', 'LITER'],
    size: '1',
  },
  { code: 'ML', name: 'millilitre', dimension: 'volume', x12: 'ML', rec20: 'MLT', size: '0.001' },
  { code: 'GAL', name: 'US gallon', dimension: 'volume', x12: 'GA', rec20: 'GLL', size: '3.785411784' },
  { code: 'QT', name: 'US quart', dimension: 'volume', x12: 'QT', rec20: 'QTI', size: '0.946352946' },
  { code: 'PT', name: 'US pint', dimension: 'volume', x12: 'PT', rec20: 'PTI', size: '0.473176473' },
  { code: 'M3', name: 'cubic metre', dimension: 'volume', x12: 'CR', rec20: 'MTQ', size: '1000' },
  { code: 'FT3', name: 'cubic foot', dimension: 'volume', x12: 'CF', rec20: 'FTQ', size: '28.316846592' },
  { code: 'M2', name: 'square metre', dimension: 'area', x12: 'SM', rec20: 'MTK', size: '1' },
  { code: 'FT2', name: 'square foot', dimension: 'area', x12: 'SF', rec20: 'FTK', size: '0.09290304' },
  { code: 'H', name: 'hour', dimension: 'time', x12: 'HR', rec20: 'HUR', aliases: ['HR', 'HOUR'], size: '1' },
  { code: 'D', name: 'day', dimension: 'time', x12: 'DA', rec20: 'DAY', aliases: ['DAY'], size: '24' },
  { code: 'WK', name: 'week', dimension: 'time', x12: 'WK', rec20: 'WEE', size: '168' },
];
