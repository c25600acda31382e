import { Command, CommandRunner } from 'nest-commander';
import { CANONICAL_KINDS, type CanonicalKind } from '@crossdock/domain';
import { formatLineageChain, lineageChain, LINEAGE_READER, type LineageReader } from '@crossdock/normalize';
import { CoreContext } from '../core-context';

/** `crossdock lineage <entity> <id>`: from a canonical record back to its source record, run or interchange, and connection. */
@Command({
  name: 'lineage',
  arguments: '<entity> <id>',
  description: 'Show where a canonical record came from: source record, sync run or interchange, connection',
  argsDescription: { entity: `canonical kind (${CANONICAL_KINDS.join(', ')})`, id: 'the record id (SKU, PO number, location code…)' },
})
export class LineageCommand extends CommandRunner {
  constructor(private readonly core: CoreContext) {
    super();
  }

  async run([entity, id]: string[]): Promise<void> {
    if (!(CANONICAL_KINDS as readonly string[]).includes(entity)) {
      console.error(`unknown entity "${entity}"; one of: ${CANONICAL_KINDS.join(', ')}`);
      process.exitCode = 2;
      return;
    }
    const kind = entity as CanonicalKind;
    const app = await this.core.open();
    const found = await app.get<string, LineageReader>(LINEAGE_READER).findLineage(kind, id);
    if (found === undefined) {
      console.error(`no ${kind} record with id ${id}`);
      process.exitCode = 1;
      return;
    }
    console.log(formatLineageChain(lineageChain(kind, id, found.lineage, found.run)));
  }
}
