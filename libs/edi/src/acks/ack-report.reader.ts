import type { SetObserver } from '../validation/set-validator.port';

/** What a received 997/999 says about one of our outbound groups. */
export interface AckReport {
  functionalId: string;
  groupControl: number;
  /** AK901: A, E, P or R. */
  verdict: string;
  sets: { setId: string; controlNumber: string; verdict: string; reasons: string[] }[];
  groupReasons: string[];
}

/** Collects the AK1…AK9 content of a received functional acknowledgment as it streams by. */
export class AckReportReader implements SetObserver {
  readonly report: AckReport = { functionalId: '', groupControl: NaN, verdict: '', sets: [], groupReasons: [] };
  private current: AckReport['sets'][number] | null = null;
  private segmentId = '';
  private segmentPosition = '';

  segment(id: string, e: readonly string[]): void {
    switch (id) {
      case 'AK1':
        this.report.functionalId = e[1] ?? '';
        this.report.groupControl = Number(e[2]);
        return;
      case 'AK2':
        this.current = { setId: e[1] ?? '', controlNumber: e[2] ?? '', verdict: '', reasons: [] };
        this.report.sets.push(this.current);
        return;
      case 'AK3':
      case 'IK3':
        this.segmentId = e[1] ?? '';
        this.segmentPosition = e[2] ?? '';
        this.current?.reasons.push(`segment ${this.segmentId} at position ${this.segmentPosition}: error ${e[4] ?? '?'}`);
        return;
      case 'AK4':
      case 'IK4':
        this.current?.reasons.push(`${this.segmentId} element ${(e[1] ?? '').split(/[^0-9]/)[0]}: error ${e[3] ?? '?'}`);
        return;
      case 'AK5':
      case 'IK5':
        if (this.current) {
          this.current.verdict = e[1] ?? '';
          const codes = e.slice(2).filter(Boolean);
          if (codes.length > 0) this.current.reasons.push(`set codes ${codes.join(', ')}`);
        }
        return;
      case 'AK9':
        this.report.verdict = e[1] ?? '';
        this.report.groupReasons = e.slice(5).filter(Boolean).map((code) => `group code ${code}`);
        return;
    }
  }
}
