import type { InboundPorts } from '../gateway/process-inbound-file';
import { StaticPartnerResolver, type TradingPartnerProfile } from '../partners/trading-partner';
import {
  InMemoryAckTracker,
  InMemoryAckTransport,
  InMemoryControlNumberAllocator,
  InMemoryInboundSink,
  InMemoryInterchangeLedger,
  InMemoryQuarantine,
} from '../ports/in-memory.ports';

/**
 * The gateway's ports in memory for one partner, for tests: what the test passes in `extra` (a row
 * mapper, a chain, another clock) replaces or adds to them, keeping its own type.
 */
export function inMemoryInboundPorts<E extends Partial<InboundPorts> = Record<never, never>>(
  partner: TradingPartnerProfile,
  extra?: E,
) {
  const base = {
    partners: new StaticPartnerResolver([partner]),
    ledger: new InMemoryInterchangeLedger(),
    allocator: new InMemoryControlNumberAllocator(),
    sink: new InMemoryInboundSink(),
    quarantine: new InMemoryQuarantine(),
    transport: new InMemoryAckTransport(),
    tracker: new InMemoryAckTracker(),
    clock: () => new Date('2026-11-27T09:00:00Z'),
  };
  return { ...base, ...extra } as Omit<typeof base, keyof E> & E;
}
