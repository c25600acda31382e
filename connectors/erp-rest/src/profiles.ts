/** The shipped profiles, validated when this module loads so that a broken profile fails at boot. */
import { CANONICAL_KINDS, InputError, type CanonicalKind, type InputIssue } from '@crossdock/domain';
import businessCentral from '../profiles/business-central-v2.json';
import erpnext from '../profiles/erpnext.json';
import type { ErpRestProfile, FieldRule } from './profile';

const PAGINATION = ['odata-next-link', 'offset', 'cursor'];
const AUTH = ['oauth2-client-credentials', 'api-key', 'basic'];
const RULE_TYPES = ['string', 'number', 'boolean', 'date', 'timestamp', 'lines'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a profile read from JSON; every problem is named by file and JSON path. */
export function validateProfile(json: unknown, source: string): ErpRestProfile {
  const issues: InputIssue[] = [];
  const fail = (field: string, message: string) =>
    issues.push({ code: 'BAD_PROFILE', message, severity: 'error', place: { source, field } });
  const needString = (obj: Record<string, unknown>, key: string, at: string) => {
    if (typeof obj[key] !== 'string' || obj[key] === '')
      fail(`${at}${key}`, `${at}${key} must be a non-empty string`);
  };
  const checkRules = (rules: unknown, at: string) => {
    if (!isObject(rules)) return fail(at, `${at} must be an object of field rules`);
    for (const [name, rule] of Object.entries(rules)) {
      if (!isObject(rule) || !RULE_TYPES.includes(String(rule.type))) {
        fail(`${at}.${name}`, `${at}.${name}.type must be one of ${RULE_TYPES.join(', ')}`);
        continue;
      }
      if (rule.from === undefined && rule.const === undefined)
        fail(`${at}.${name}`, `${at}.${name} needs "from" or "const"`);
      if (rule.type === 'lines') checkRules((rule as unknown as FieldRule).fields, `${at}.${name}.fields`);
    }
  };
  if (!isObject(json))
    throw new InputError([
      { code: 'BAD_PROFILE', message: 'profile is not an object', severity: 'error', place: { source } },
    ]);
  for (const key of ['name', 'vendor', 'reference']) needString(json, key, '');
  if (!Array.isArray(json.auth) || json.auth.some((a) => !AUTH.includes(String(a))))
    fail('auth', `auth must list of ${AUTH.join(', ')}`);
  if (!isObject(json.pagination) || !PAGINATION.includes(String(json.pagination.type))) {
    fail('pagination.type', `pagination.type must be one of ${PAGINATION.join(', ')}`);
  }
  if (typeof json.maxPageSize !== 'number' || json.maxPageSize < 1)
    fail('maxPageSize', 'maxPageSize must be a positive number');
  if (!isObject(json.errorShape)) fail('errorShape', 'errorShape must name codePath and messagePath');
  if (!isObject(json.defaults)) fail('defaults', 'defaults must give maxConcurrency and requestsPerSecond');
  if (!isObject(json.streams) || Object.keys(json.streams).length === 0)
    fail('streams', 'streams must name at least one stream');
  else {
    for (const [name, stream] of Object.entries(json.streams)) {
      const at = `streams.${name}.`;
      if (!isObject(stream)) {
        fail(at, `${at} must be an object`);
        continue;
      }
      for (const key of ['path', 'description', 'idField']) needString(stream, key, at);
      if (!CANONICAL_KINDS.includes(stream.produces as CanonicalKind))
        fail(`${at}produces`, `${at}produces is not a canonical kind`);
      if (!Array.isArray(stream.requiredFields))
        fail(`${at}requiredFields`, `${at}requiredFields must be a list`);
      if (stream.delta !== undefined) {
        if (!isObject(stream.delta)) fail(`${at}delta`, `${at}delta must be an object`);
        else {
          for (const key of ['field', 'param', 'template']) needString(stream.delta, key, `${at}delta.`);
          if (!String(stream.delta.template).includes('{since}'))
            fail(`${at}delta.template`, `${at}delta.template must contain {since}`);
          if (!['iso-8601', 'frappe'].includes(String(stream.delta.format)))
            fail(`${at}delta.format`, `${at}delta.format must be iso-8601 or frappe`);
        }
      }
      for (const key of ['detail', 'byId']) {
        const spec = stream[key];
        if (spec === undefined) continue;
        if (
          !isObject(spec) ||
          typeof spec.path !== 'string' ||
          !spec.path.includes('{id}') ||
          typeof spec.recordPath !== 'string'
        ) {
          fail(`${at}${key}`, `${at}${key} needs a path with {id} and a recordPath`);
        }
      }
      checkRules(stream.canonical, `${at}canonical`);
    }
  }
  if (json.actions !== undefined) checkActions(json.actions, fail, needString);
  if (issues.length > 0) throw new InputError(issues);
  return json as unknown as ErpRestProfile;
}

const HEADER_SOURCES = ['supplierCode', 'warehouseCode', 'deliveryDate'];
const LINE_SOURCES = ['sku', 'quantity', 'unitPrice', 'deliveryDate', 'warehouseCode'];

function checkActions(
  actions: unknown,
  fail: (field: string, message: string) => void,
  needString: (obj: Record<string, unknown>, key: string, at: string) => void,
): void {
  if (!isObject(actions)) return fail('actions', 'actions must be an object');
  for (const [name, spec] of Object.entries(actions)) {
    const at = `actions.${name}.`;
    if (name !== 'create-purchase-order') {
      fail(`actions.${name}`, `actions.${name} is not an action the connector performs`);
      continue;
    }
    if (!isObject(spec)) {
      fail(`actions.${name}`, `actions.${name} must be an object`);
      continue;
    }
    for (const key of ['description', 'path', 'numberField', 'referenceField', 'linesField'])
      needString(spec, key, at);
    if (typeof spec.recordPath !== 'string') fail(`${at}recordPath`, `${at}recordPath must be a string`);
    const lookup = spec.lookup;
    if (
      !isObject(lookup) ||
      !isObject(lookup.query) ||
      typeof lookup.recordsPath !== 'string' ||
      !Object.values(lookup.query).some((v) => String(v).includes('{reference}'))
    ) {
      fail(`${at}lookup`, `${at}lookup needs a query with {reference} and a recordsPath`);
    }
    for (const [part, allowed] of [
      ['header', HEADER_SOURCES],
      ['line', LINE_SOURCES],
    ] as const) {
      const map = spec[part];
      if (!isObject(map) || Object.values(map).some((v) => !allowed.includes(String(v))))
        fail(`${at}${part}`, `${at}${part} maps vendor fields to one of ${allowed.join(', ')}`);
    }
  }
}

export const SHIPPED_PROFILES: Readonly<Record<string, ErpRestProfile>> = {
  'business-central-v2': validateProfile(
    businessCentral,
    'connectors/erp-rest/profiles/business-central-v2.json',
  ),
  erpnext: validateProfile(erpnext, 'connectors/erp-rest/profiles/erpnext.json'),
};

export function profileByName(name: string): ErpRestProfile {
  const profile = SHIPPED_PROFILES[name];
  if (!profile)
    throw new Error(`unknown ERP profile "${name}"; shipped: ${Object.keys(SHIPPED_PROFILES).join(', ')}`);
  return profile;
}
