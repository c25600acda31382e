import { describePlace, type InputIssue } from '@crossdock/domain';
import {
  allIssues,
  describeDelimiters,
  fileChunks,
  scanX12,
  type InterchangeReaderOptions,
  type ScanSummary,
} from '@crossdock/edi';

export type FileVerdict = 'accepted' | 'partially-accepted' | 'rejected';

/** Reads a file through the gateway scanner in reused chunks, so any size works in flat memory. */
export async function scanFile(file: string, options: InterchangeReaderOptions = {}): Promise<ScanSummary> {
  return scanX12(fileChunks(file), { source: file, ...options });
}

export function verdictOf(summary: ScanSummary): FileVerdict {
  const hard =
    summary.fileIssues.some((i) => i.severity === 'error') ||
    summary.interchanges.length === 0 ||
    summary.interchanges.some((ic) => !ic.accepted);
  if (summary.setsRejected === 0 && !hard) return 'accepted';
  return summary.setsAccepted > 0 ? 'partially-accepted' : 'rejected';
}

export function formatIssue(issue: InputIssue): string {
  return `  ${issue.severity === 'error' ? 'error  ' : 'warning'} ${issue.code}: ${issue.message} (${describePlace(issue.place)})`;
}

/** A readable outline: interchanges, groups and sets with their verdicts and problems. */
export function printOutline(summary: ScanSummary, write: (line: string) => void): void {
  for (const issue of summary.fileIssues) write(formatIssue(issue));
  for (const ic of summary.interchanges) {
    const h = ic.header;
    write(
      `interchange ${h.controlNumber} ${h.senderQualifier}/${h.senderId} -> ${h.receiverQualifier}/${h.receiverId} version ${h.version} ${h.usage === 'T' ? 'test' : 'production'}: ${ic.accepted ? 'accepted' : `rejected (TA1 ${ic.ta1Code})`}`,
    );
    write(`  delimiters: ${describeDelimiters(h.delimiters)}`);
    for (const issue of ic.issues) write(formatIssue(issue));
    for (const group of ic.groups) {
      write(
        `  group ${group.header.functionalId} ${group.header.controlNumber} version ${group.header.version}: AK9 ${group.verdict}${group.groupCodes.length ? ` (${group.groupCodes.join(', ')})` : ''}`,
      );
      for (const issue of group.issues) write(formatIssue(issue));
      for (const set of group.sets) {
        write(
          `    set ${set.setId} ${set.controlNumber}, ${set.segmentCount} segments: AK5 ${set.verdict}${set.setCodes.length ? ` (${set.setCodes.join(', ')})` : ''}`,
        );
        for (const issue of set.issues) write(`  ${formatIssue(issue)}`);
      }
    }
  }
  write(
    `sets: ${summary.setsFound} found, ${summary.setsAccepted} accepted, ${summary.setsRejected} rejected; ${summary.segments} segments, ${summary.bytes} bytes`,
  );
  write(`file: ${verdictOf(summary)}`);
}

export { allIssues };
