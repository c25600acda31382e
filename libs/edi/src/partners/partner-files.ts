import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError, type InputIssue } from '@crossdock/domain';
import { parsePartnerProfile, type TradingPartnerProfile } from './trading-partner';

/** Reads every `*.json` profile of a folder (mappings/partners); fails listing every bad file and field. */
export function loadPartnerFiles(folder: string): TradingPartnerProfile[] {
  const profiles: TradingPartnerProfile[] = [];
  const issues: InputIssue[] = [];
  for (const file of fs.readdirSync(folder).filter((f) => f.endsWith('.json')).sort()) {
    const source = path.join(folder, file);
    try {
      const profile = parsePartnerProfile(JSON.parse(fs.readFileSync(source, 'utf8')) as unknown, source);
      if (`${profile.id}.json` !== file) {
        issues.push({ code: 'PARTNER_FILE_NAME', message: `the file of partner ${profile.id} must be named ${profile.id}.json`, place: { source, field: 'id' }, severity: 'error' });
      }
      if (profiles.some((p) => p.isaQualifier === profile.isaQualifier && p.isaId === profile.isaId)) {
        issues.push({ code: 'PARTNER_DUPLICATE_ID', message: `another partner already uses ISA id ${profile.isaQualifier}/${profile.isaId}`, place: { source, field: 'isaId' }, severity: 'error' });
      }
      profiles.push(profile);
    } catch (error) {
      if (error instanceof InputError) issues.push(...error.issues);
      else issues.push({ code: 'PARTNER_FILE_UNREADABLE', message: (error as Error).message, place: { source }, severity: 'error' });
    }
  }
  if (issues.length > 0) throw new InputError(issues);
  return profiles;
}
