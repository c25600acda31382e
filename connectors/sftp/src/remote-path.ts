import * as path from 'node:path';
import type { InputIssue } from '@crossdock/domain';

/**
 * C0 controls, DEL and C1 controls: never legitimate in a partner's file name, and they can
 * forge log lines or terminal output.
 */
function hasControlCharacter(name: string): boolean {
  for (let i = 0; i < name.length; i += 1) {
    const code = name.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/** Why a remote entry name cannot be used, or null when it is safe. */
export function unsafeNameIssue(name: string, directory: string): InputIssue | null {
  // Not normalised: the place must show the name exactly as listed (`..` included), escaped.
  const source = `${directory.replace(/\/+$/, '')}/${JSON.stringify(name).slice(1, -1)}`;
  const issue = (code: string, message: string): InputIssue => ({
    code,
    message,
    place: { source },
    severity: 'error',
  });
  if (name.length === 0) return issue('sftp.empty-name', 'empty file name');
  if (hasControlCharacter(name))
    return issue('sftp.control-character', 'file name contains control characters');
  if (name === '.' || name === '..' || name.includes('/') || name.includes('\\')) {
    return issue('sftp.path-traversal', 'file name contains a path separator or is a dot entry');
  }
  return null;
}

/** Joins under a base directory and proves the result stays inside it. */
export function joinInside(base: string, ...segments: string[]): string {
  const normalizedBase = path.posix.normalize(base);
  const joined = path.posix.normalize(path.posix.join(normalizedBase, ...segments));
  const prefix = normalizedBase.endsWith('/') ? normalizedBase : `${normalizedBase}/`;
  if (joined !== normalizedBase && !joined.startsWith(prefix)) {
    throw new Error(`path ${JSON.stringify(segments.join('/'))} leaves ${normalizedBase}`);
  }
  return joined;
}

/** Local variant of joinInside for the work and archive directories. */
export function joinLocalInside(base: string, ...segments: string[]): string {
  const resolvedBase = path.resolve(base);
  const joined = path.resolve(resolvedBase, ...segments);
  if (joined !== resolvedBase && !joined.startsWith(resolvedBase + path.sep)) {
    throw new Error(`path ${JSON.stringify(segments.join('/'))} leaves ${resolvedBase}`);
  }
  return joined;
}
