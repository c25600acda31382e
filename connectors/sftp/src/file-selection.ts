import picomatch from 'picomatch';
import type { InputIssue } from '@crossdock/domain';
import { DEFAULT_TEMP_PATTERNS, type SftpConsumerOptions, type SortOrder } from './sftp-connection.config';
import { joinInside, unsafeNameIssue } from './remote-path';

/** A regular file found under the consumer directory. */
export interface ListedFile {
  /** Absolute remote path. */
  path: string;
  /** Path relative to the consumer directory, `/`-separated. */
  relativePath: string;
  name: string;
  size: number;
  mtimeMs: number;
}

export interface SelectionRules {
  include: string[];
  exclude: string[];
  tempPatterns: string[];
  minLength: number;
  minAgeMs: number;
  doneFileSuffix: string | undefined;
  sortBy: SortOrder;
  maxFiles: number;
}

export function selectionRules(options: SftpConsumerOptions): SelectionRules {
  return {
    include: options.include ?? [],
    exclude: options.exclude ?? [],
    tempPatterns: options.tempPatterns ?? DEFAULT_TEMP_PATTERNS,
    minLength: options.minLength ?? 0,
    minAgeMs: options.minAgeMs ?? 0,
    doneFileSuffix: options.doneFileSuffix,
    sortBy: options.sortBy ?? 'mtime',
    maxFiles: options.maxFilesPerPoll ?? 100,
  };
}

function matcher(patterns: string[]): (relativePath: string) => boolean {
  if (patterns.length === 0) return () => false;
  // A pattern without a slash matches the base name at any depth, as partners expect of `*.edi`;
  // one with a slash matches the path below the consumer directory. (picomatch's own `basename`
  // option would apply the base name to every pattern.)
  const byName = patterns.filter((p) => !p.includes('/'));
  const byPath = patterns.filter((p) => p.includes('/'));
  const nameMatches = byName.length > 0 ? picomatch(byName, { dot: true }) : () => false;
  const pathMatches = byPath.length > 0 ? picomatch(byPath, { dot: true }) : () => false;
  return (relativePath) =>
    nameMatches(relativePath.slice(relativePath.lastIndexOf('/') + 1)) || pathMatches(relativePath);
}

/**
 * Filters a listing down to the files that may be taken this poll, in order. Stability (size and
 * mtime unchanged over several looks) is checked afterwards, on this short list only.
 */
export function selectCandidates(files: ListedFile[], rules: SelectionRules, nowMs: number): ListedFile[] {
  const isTemp = matcher(rules.tempPatterns);
  const isIncluded = rules.include.length === 0 ? () => true : matcher(rules.include);
  const isExcluded = matcher(rules.exclude);
  const present = new Set(files.map((file) => file.path));
  const suffix = rules.doneFileSuffix;
  const selected = files.filter((file) => {
    if (isTemp(file.relativePath) || isExcluded(file.relativePath) || !isIncluded(file.relativePath))
      return false;
    if (suffix !== undefined) {
      if (file.name.endsWith(suffix)) return false;
      if (!present.has(file.path + suffix)) return false;
    }
    if (file.size < rules.minLength) return false;
    return nowMs - file.mtimeMs >= rules.minAgeMs;
  });
  const byName = (a: ListedFile, b: ListedFile) =>
    a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0;
  selected.sort(rules.sortBy === 'name' ? byName : (a, b) => a.mtimeMs - b.mtimeMs || byName(a, b));
  return selected.slice(0, rules.maxFiles);
}

/** What a directory walk needs from a session; kept narrow so the walk is testable without I/O. */
export interface DirectoryLister {
  list(
    directory: string,
  ): Promise<{ name: string; kind: 'file' | 'directory' | 'other'; size: number; mtimeMs: number }[]>;
}

/**
 * Walks the consumer directory up to `maxDepth` levels below it, skipping the archive and error
 * folders and reporting (not following) unsafe names.
 */
export async function listFiles(
  lister: DirectoryLister,
  root: string,
  options: { recursive: boolean; maxDepth: number; skipDirectories: string[] },
): Promise<{ files: ListedFile[]; issues: InputIssue[] }> {
  const files: ListedFile[] = [];
  const issues: InputIssue[] = [];
  const skip = new Set(options.skipDirectories);
  const walk = async (directory: string, relative: string, depth: number): Promise<void> => {
    for (const entry of await lister.list(directory)) {
      const issue = unsafeNameIssue(entry.name, directory);
      if (issue) {
        issues.push(issue);
        continue;
      }
      const entryPath = joinInside(directory, entry.name);
      const entryRelative = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.kind === 'file') {
        files.push({
          path: entryPath,
          relativePath: entryRelative,
          name: entry.name,
          size: entry.size,
          mtimeMs: entry.mtimeMs,
        });
      } else if (
        entry.kind === 'directory' &&
        options.recursive &&
        depth < options.maxDepth &&
        !skip.has(entryPath)
      ) {
        await walk(entryPath, entryRelative, depth + 1);
      }
    }
  };
  await walk(root, '', 0);
  return { files, issues };
}
