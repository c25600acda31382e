/**
 * Streams one CSV file as rows with their line numbers, checking its structure on the way: header
 * columns, encoding, ragged rows, malformed quoting, duplicate keys. Memory stays flat except for
 * the key index, which duplicate detection needs for the whole file.
 */
import * as fs from 'node:fs';
import { pipeline } from 'node:stream';
import { parse, type CsvError, type Parser } from 'csv-parse';
import * as iconv from 'iconv-lite';
import type { InputIssue } from '@crossdock/domain';
import type { CsvLayout } from './csv-layouts';
import type { CsvEncoding } from './file-csv.config';

export interface CsvRow {
  line: number;
  data: Record<string, string>;
}

export interface CsvRejectedRow {
  line: number;
  raw: string;
  issues: InputIssue[];
}

export type CsvFileEvent =
  | { type: 'row'; row: CsvRow }
  | { type: 'rejected'; rejected: CsvRejectedRow }
  /** The file cannot be read as this stream (wrong columns): nothing of it loads. */
  | { type: 'file-rejected'; rejected: CsvRejectedRow };

export interface CsvReadOptions {
  path: string;
  /** File name used in issues and source record ids. */
  fileName: string;
  layout: CsvLayout;
  delimiter: string;
  encoding: CsvEncoding;
  headerRequired: boolean;
}

interface ParsedRecord {
  record: string[];
  raw: string;
}

type ParserItem = { parsed: ParsedRecord } | { skipped: CsvRejectedRow };

const REPLACEMENT_CHARACTER = '\uFFFD';

function trimRecordDelimiter(raw: string): string {
  const end = raw.length;
  if (end > 0 && raw.charCodeAt(end - 1) === 10)
    return raw.slice(0, end > 1 && raw.charCodeAt(end - 2) === 13 ? end - 2 : end - 1);
  return end > 0 && raw.charCodeAt(end - 1) === 13 ? raw.slice(0, end - 1) : raw;
}

function countLineBreaks(text: string): number {
  // Nearly every record is one line ending in LF: two native searches settle it.
  const lf = text.indexOf('\n');
  if (lf === text.length - 1 && text.indexOf('\r') === -1) return 1;
  if (lf === -1 && text.indexOf('\r') === -1) return 0;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) count++;
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) count++;
  }
  return count;
}

function rejectedRow(line: number, raw: string, rowIssue: InputIssue): CsvFileEvent {
  return { type: 'rejected', rejected: { line, raw, issues: [rowIssue] } };
}

function issue(code: string, message: string, fileName: string, line: number, column?: string): InputIssue {
  return {
    code,
    message,
    place: column === undefined ? { source: fileName, line } : { source: fileName, line, column },
    severity: 'error',
  };
}

export function checkHeader(columns: string[], layout: CsvLayout, fileName: string): InputIssue[] {
  const known = new Set([...layout.required, ...layout.optional]);
  const issues: InputIssue[] = [];
  const seen = new Set<string>();
  const repeated = columns.filter((c) => (seen.has(c) ? true : (seen.add(c), false)));
  const missing = layout.required.filter((c) => !seen.has(c));
  const unknown = columns.filter((c) => !known.has(c));
  if (missing.length > 0)
    issues.push(
      issue('MISSING_COLUMNS', `${fileName}: missing required column(s) ${missing.join(', ')}`, fileName, 1),
    );
  if (unknown.length > 0)
    issues.push(
      issue(
        'UNKNOWN_COLUMNS',
        `${fileName}: unknown column(s) ${unknown.join(', ')} (expected ${[...known].join(', ')})`,
        fileName,
        1,
      ),
    );
  if (repeated.length > 0)
    issues.push(
      issue('REPEATED_COLUMNS', `${fileName}: column(s) ${repeated.join(', ')} appear twice`, fileName, 1),
    );
  return issues;
}

/** Streams the file's events in chunks (one chunk per parser buffer, at most a few thousand rows). */
export async function* readCsvFile(options: CsvReadOptions): AsyncGenerator<CsvFileEvent[]> {
  const { fileName, layout } = options;
  const parser = parse({
    bom: true,
    delimiter: options.delimiter,
    relax_column_count: true,
    raw: true,
    // Empty lines come through as [''] so every line is counted here; csv-parse's per-record
    // info object would do the same at a measurable cost per row.
    skip_empty_lines: false,
    skip_records_with_error: true,
    // A stray quote inside a field is kept as text; only an unclosed quote is an error. csv-parse
    // cannot resynchronise after a strict quote error, so strict mode would swallow good rows.
    relax_quotes: true,
  });
  // Records and skipped (malformed) records share one queue so they keep their order.
  const items: ParserItem[] = [];
  parser.on('skip', (error: CsvError & { lines?: number; raw?: string }) => {
    const raw = typeof error.raw === 'string' ? trimRecordDelimiter(error.raw) : '';
    const line = (error.lines ?? 0) - countLineBreaks(raw);
    items.push({
      skipped: {
        line,
        raw,
        issues: [
          issue(
            'MALFORMED_ROW',
            `${fileName}, line ${line}: ${error.message}; the row and everything after it is kept here`,
            fileName,
            line,
          ),
        ],
      },
    });
  });
  const onError = (error: Error | null) => {
    if (error) parser.destroy(error);
  };
  const HIGH_WATER_MARK = 1 << 20;
  // Node's own UTF-8 decoder (replacement characters mark invalid bytes) is faster than iconv's.
  if (options.encoding === 'utf-8')
    pipeline(
      fs.createReadStream(options.path, { encoding: 'utf8', highWaterMark: HIGH_WATER_MARK }),
      parser,
      onError,
    );
  else
    pipeline(
      fs.createReadStream(options.path, { highWaterMark: HIGH_WATER_MARK }),
      iconv.decodeStream(options.encoding),
      parser,
      onError,
    );

  let columns: string[] | undefined = options.headerRequired
    ? undefined
    : [...layout.required, ...layout.optional];
  const keyIndex = new Map<string, number>();
  let keyPositions: number[] = [];
  const resolveKeys = (cols: string[]) => {
    keyPositions = layout.key.map((k) => cols.indexOf(k));
  };
  if (columns) resolveKeys(columns);

  let groupPosition = -1;
  let currentGroup: string | undefined;
  let currentGroupEnd = 0;
  const closedGroups = new Map<string, number>();
  let nextLine = 1;
  let fileRejected = false;

  // Rows are checked synchronously, a parser chunk at a time: one await per chunk, not per row.
  function* check(chunk: ParserItem[]): Generator<CsvFileEvent> {
    for (const item of chunk) {
      if ('skipped' in item) {
        nextLine = item.skipped.line + countLineBreaks(item.skipped.raw) + 1;
        yield { type: 'rejected', rejected: item.skipped };
        continue;
      }
      const parsed = item.parsed;
      const line = nextLine;
      nextLine += countLineBreaks(parsed.raw);
      const values = parsed.record;
      if (values.length === 1 && values[0] === '' && parsed.raw.trim() === '') continue;
      const raw = trimRecordDelimiter(parsed.raw);
      if (!columns) {
        const header = values.map((v) => v.trim());
        const issues = checkHeader(header, layout, fileName);
        if (raw.includes(REPLACEMENT_CHARACTER))
          issues.push(
            issue(
              'INVALID_ENCODING',
              `${fileName}, line ${line}: the header is not valid ${options.encoding}`,
              fileName,
              line,
            ),
          );
        if (issues.length > 0) {
          fileRejected = true;
          yield { type: 'file-rejected', rejected: { line, raw, issues } };
          return;
        }
        columns = header;
        resolveKeys(columns);
        if (layout.group) groupPosition = columns.indexOf(layout.group);
        continue;
      }
      if (values.length !== columns.length) {
        yield rejectedRow(
          line,
          raw,
          issue(
            'RAGGED_ROW',
            `${fileName}, line ${line}: expected ${columns.length} fields, found ${values.length}`,
            fileName,
            line,
          ),
        );
        continue;
      }
      if (raw.includes(REPLACEMENT_CHARACTER)) {
        const column = columns[values.findIndex((v) => v.includes(REPLACEMENT_CHARACTER))];
        yield rejectedRow(
          line,
          raw,
          issue(
            'INVALID_ENCODING',
            `${fileName}, line ${line}: column ${column} is not valid ${options.encoding}`,
            fileName,
            line,
            column,
          ),
        );
        continue;
      }
      const key =
        keyPositions.length === 1
          ? keyPositions[0] < 0
            ? ''
            : values[keyPositions[0]].trim()
          : keyPositions.map((p) => (p < 0 ? '' : values[p].trim())).join('\u001f');
      const firstLine = keyIndex.get(key);
      if (firstLine !== undefined) {
        const described = layout.key.map((k, i) => `${k}=${key.split('\u001f')[i]}`).join(', ');
        yield rejectedRow(
          line,
          raw,
          issue(
            'DUPLICATE_KEY',
            `${fileName}, line ${line}: ${described} already appears on line ${firstLine}; the later row is rejected`,
            fileName,
            line,
          ),
        );
        continue;
      }
      if (groupPosition >= 0) {
        const group = values[groupPosition].trim();
        if (group !== currentGroup) {
          const endedOn = closedGroups.get(group);
          if (endedOn !== undefined) {
            yield rejectedRow(
              line,
              raw,
              issue(
                'GROUP_NOT_CONTIGUOUS',
                `${fileName}, line ${line}: the rows of ${layout.group}=${group} must be together; its first block ended on line ${endedOn}`,
                fileName,
                line,
                layout.group,
              ),
            );
            continue;
          }
          if (currentGroup !== undefined) closedGroups.set(currentGroup, currentGroupEnd);
          currentGroup = group;
        }
        currentGroupEnd = line;
      }
      keyIndex.set(key, line);
      const data: Record<string, string> = {};
      for (let i = 0; i < columns.length; i++) data[columns[i]] = values[i];
      yield { type: 'row', row: { line, data } };
    }
  }

  for await (const chunk of chunksOf(parser, items)) {
    const events = [...check(chunk)];
    if (events.length > 0) yield events;
    if (fileRejected) {
      parser.destroy();
      return;
    }
  }
  if (!columns) {
    yield [
      {
        type: 'file-rejected',
        rejected: {
          line: 1,
          raw: '',
          issues: [issue('EMPTY_FILE', `${fileName}: the file has no header row`, fileName, 1)],
        },
      },
    ];
  }
}

/** Most records buffered before the parser is paused; bounds memory whatever the file size. */
const CHUNK_RECORDS = 2000;

async function* chunksOf(parser: Parser, items: ParserItem[]): AsyncGenerator<ParserItem[]> {
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  parser.on('data', (parsed: ParsedRecord) => {
    items.push({ parsed });
    if (items.length >= CHUNK_RECORDS) parser.pause();
    notify();
  });
  parser.on('end', () => {
    ended = true;
    notify();
  });
  parser.on('error', (error: Error) => {
    failure = error;
    notify();
  });
  for (;;) {
    if (items.length > 0) {
      const chunk = items.splice(0, items.length);
      parser.resume();
      yield chunk;
      continue;
    }
    if (failure) throw failure;
    if (ended) return;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
}
