import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { InputError, type CanonicalRecord, type InputIssue } from '@crossdock/domain';
import {
  ackGroups,
  FLATTENERS,
  GuideValidatorFactory,
  InMemoryAckTransport,
  InMemoryControlNumberAllocator,
  isOutboundSetId,
  loadPartnerFiles,
  OUTBOUND_SET_IDS,
  OutboundTranslator,
  RegistryRowMapper,
  sendOutbound,
  STANDARD_OUTBOUND_DELIMITERS,
  ta1Segment,
  X12Writer,
  type FlatRow,
  type FunctionalAck,
  type OutboundSet,
  type SetFlattener,
} from '@crossdock/edi';
import { defaultMappingsRoot, MappingRegistry } from '@crossdock/mapping';
import { formatIssue, printOutline, scanFile, verdictOf } from './edi-file.report';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** `crossdock edi parse <file>`: envelope only — delimiters, interchanges, groups, sets, control numbers and counts. */
@SubCommand({
  name: 'parse',
  arguments: '<file>',
  description: 'Scan an X12 file and check its envelopes (ISA/GS/ST pairing, control numbers, counts)',
})
export class EdiParseCommand extends CommandRunner {
  async run([file]: string[]): Promise<void> {
    const summary = await scanFile(file);
    printOutline(summary, out);
    process.exitCode = verdictOf(summary) === 'accepted' ? 0 : 1;
  }
}

/** `crossdock edi validate <file>`: envelope plus implementation guides, with every error and where it is. */
@SubCommand({
  name: 'validate',
  arguments: '<file>',
  description:
    'Validate an X12 file against the implementation guides (segment order, loops, elements, codes)',
})
export class EdiValidateCommand extends CommandRunner {
  async run([file]: string[]): Promise<void> {
    const summary = await scanFile(file, { validators: new GuideValidatorFactory() });
    printOutline(summary, out);
    process.exitCode = verdictOf(summary) === 'accepted' ? 0 : 1;
  }
}

interface AckOptions {
  kind?: FunctionalAck;
  out?: string;
}

/** `crossdock edi ack <file>`: the 997/999 (and TA1 on interchange errors) the gateway would send back. */
@SubCommand({
  name: 'ack',
  arguments: '<file>',
  description: 'Print the 997/999 (and TA1 for interchange errors) for an X12 file',
})
export class EdiAckCommand extends CommandRunner {
  async run([file]: string[], options: AckOptions = {}): Promise<void> {
    const validators = new GuideValidatorFactory();
    const summary = await scanFile(file, { validators });
    const writer = new X12Writer(validators);
    const texts: string[] = [];
    summary.interchanges.forEach((ic, i) => {
      const plans = ic.accepted
        ? ic.groups
            .filter((g) => g.header.functionalId !== 'FA')
            .map((group) => ({
              group,
              kind: options.kind ?? (group.header.version.startsWith('005') ? '999' : '997'),
            }))
        : [];
      const leading = ic.accepted ? [] : [ta1Segment(ic)];
      if (plans.length === 0 && leading.length === 0) return;
      texts.push(
        writer.write({
          senderQualifier: ic.header.receiverQualifier,
          senderId: ic.header.receiverId,
          receiverQualifier: ic.header.senderQualifier,
          receiverId: ic.header.senderId,
          controlVersion: /^\d{5}$/.test(ic.header.version) ? ic.header.version : '00401',
          controlNumber: i + 1,
          ackRequested: false,
          usage: ic.header.usage === 'T' ? 'T' : 'P',
          date: new Date(),
          delimiters: STANDARD_OUTBOUND_DELIMITERS,
          leading,
          groups: ackGroups(
            plans,
            STANDARD_OUTBOUND_DELIMITERS,
            plans.map((_, k) => ({ group: k + 1, set: 1 })),
          ),
        }),
      );
    });
    const text = texts.join('');
    if (options.out) fs.writeFileSync(options.out, text);
    else process.stdout.write(text);
    for (const issue of summary.fileIssues) process.stderr.write(`${formatIssue(issue)}\n`);
    process.stderr.write(`file: ${verdictOf(summary)}\n`);
    process.exitCode = verdictOf(summary) === 'accepted' ? 0 : 1;
  }

  @Option({
    flags: '-k, --kind <kind>',
    description: '997 or 999 (default: 999 for 005010 groups, else 997)',
  })
  parseKind(value: string): FunctionalAck {
    if (value !== '997' && value !== '999') throw new Error('--kind must be 997 or 999');
    return value;
  }

  @Option({ flags: '-o, --out <file>', description: 'write the acknowledgment to a file instead of stdout' })
  parseOut(value: string): string {
    return value;
  }
}

interface TranslateOptions {
  partner?: string;
  mappings?: string;
}

/** `crossdock edi translate <file>`: validated sets through the flatteners and x12-* mappings, as JSON lines. */
@SubCommand({
  name: 'translate',
  arguments: '<file>',
  description: 'Translate accepted sets into canonical records (JSON lines on stdout)',
})
export class EdiTranslateCommand extends CommandRunner {
  async run([file]: string[], options: TranslateOptions = {}): Promise<void> {
    const partnerId = options.partner ?? 'unknown-partner';
    const root = options.mappings ?? defaultMappingsRoot();
    const mapper = new RegistryRowMapper(MappingRegistry.load(root, (name) => name.startsWith('x12-')));
    const rowsBySet = new Map<string, { mapping?: string; rows: FlatRow[] }>();
    const open = new Map<string, SetFlattener>();
    const summary = await scanFile(file, {
      validators: new GuideValidatorFactory(),
      observe: (context) => {
        const definition = FLATTENERS[context.setId];
        if (!definition?.mapping) return null;
        const entry = { mapping: definition.mapping, rows: [] as FlatRow[] };
        rowsBySet.set(context.key, entry);
        const flattener = definition.create({ partnerId, emit: (row) => entry.rows.push(row) });
        open.set(context.key, flattener);
        return flattener;
      },
      // A flattener holds its last line until the set ends, as in the gateway.
      onSetClosed: (context) => {
        open.get(context.key)?.end();
        open.delete(context.key);
      },
    });
    const problems: InputIssue[] = [];
    let records: CanonicalRecord[] = [];
    for (const ic of summary.interchanges) {
      for (const group of ic.groups) {
        for (const set of group.sets) {
          const key = `${ic.header.controlNumber}/${group.header.controlNumber}/${set.controlNumber}`;
          const entry = rowsBySet.get(key);
          if (!entry?.mapping || !ic.accepted || group.verdict === 'R' || set.verdict === 'R') continue;
          const result = await mapper.map(
            entry.mapping,
            entry.rows,
            { sourceConnection: `file:${path.basename(file)}`, sourceRecordId: key },
            { source: file, recordId: key },
          );
          problems.push(...result.issues);
          records = records.concat(result.records);
        }
      }
    }
    for (const record of records) out(JSON.stringify(record));
    printOutline(summary, (line) => process.stderr.write(`${line}\n`));
    for (const issue of problems) process.stderr.write(`${formatIssue(issue)}\n`);
    process.stderr.write(`canonical records: ${records.length}\n`);
    process.exitCode = verdictOf(summary) === 'accepted' && problems.length === 0 ? 0 : 1;
  }

  @Option({
    flags: '-p, --partner <id>',
    description: 'partner id used as supplier/customer code in the records',
  })
  parsePartner(value: string): string {
    return value;
  }

  @Option({
    flags: '-m, --mappings <folder>',
    description: 'mapping folders root (default: the repository mappings/)',
  })
  parseMappings(value: string): string {
    return value;
  }
}

interface OutboundCommandOptions {
  partner?: string;
  mappings?: string;
  out?: string;
}

/**
 * `crossdock edi outbound <set> <file> --partner <id>`: canonical records (one JSON input or a list)
 * through the `canonical-to-x12-<set>` mapping, written as one interchange with the partner's ids and
 * delimiters and checked as the gateway checks it. Nothing is uploaded; control numbers start at 1.
 */
@SubCommand({
  name: 'outbound',
  arguments: '<set> <file>',
  description: `Write an outbound X12 (${OUTBOUND_SET_IDS.join(', ')}) from canonical JSON through its mapping`,
})
export class EdiOutboundCommand extends CommandRunner {
  async run([setId, file]: string[], options: OutboundCommandOptions = {}): Promise<void> {
    if (!isOutboundSetId(setId)) {
      process.stderr.write(`set must be one of ${OUTBOUND_SET_IDS.join(', ')}\n`);
      process.exitCode = 2;
      return;
    }
    const root = options.mappings ?? defaultMappingsRoot();
    const partners = loadPartnerFiles(path.join(root, 'partners'));
    const profile = partners.find((p) => p.id === options.partner);
    if (!profile) {
      process.stderr.write(`--partner must name one of ${partners.map((p) => p.id).join(', ')}\n`);
      process.exitCode = 2;
      return;
    }
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    const inputs: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
    const translator = OutboundTranslator.load(root);
    const sets: OutboundSet[] = [];
    const problems: InputIssue[] = [];
    for (let index = 0; index < inputs.length; index++) {
      try {
        // The mapping checks the input against the canonical model before anything is written.
        sets.push(
          await translator.translateJson(setId, inputs[index], { source: file, recordId: String(index + 1) }),
        );
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        problems.push(...error.issues);
      }
    }
    if (problems.length > 0) {
      for (const issue of problems) process.stderr.write(`${formatIssue(issue)}\n`);
      process.exitCode = 1;
      return;
    }
    try {
      const sent = await sendOutbound(sets, profile, {
        allocator: new InMemoryControlNumberAllocator(),
        transport: new InMemoryAckTransport(),
      });
      if (options.out) fs.writeFileSync(options.out, sent.text);
      else process.stdout.write(sent.text);
      process.stderr.write(`${sets.length} ${setId} set(s) for ${profile.id}: ${sent.fileName}\n`);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      for (const issue of error.issues) process.stderr.write(`${formatIssue(issue)}\n`);
      process.exitCode = 1;
    }
  }

  @Option({
    flags: '-p, --partner <id>',
    description: 'trading partner (mappings/partners/<id>.json): ids, version and delimiters',
  })
  parsePartner(value: string): string {
    return value;
  }

  @Option({
    flags: '-m, --mappings <folder>',
    description: 'mapping folders root (default: the repository mappings/)',
  })
  parseMappings(value: string): string {
    return value;
  }

  @Option({ flags: '-o, --out <file>', description: 'write the interchange to a file instead of stdout' })
  parseOut(value: string): string {
    return value;
  }
}

/** `crossdock edi <parse|validate|ack|translate|outbound> …`: exit code 0 only for an accepted file. */
@Command({
  name: 'edi',
  description: 'Work with X12 files: parse, validate, ack, translate; write outbound documents',
  subCommands: [EdiParseCommand, EdiValidateCommand, EdiAckCommand, EdiTranslateCommand, EdiOutboundCommand],
})
export class EdiCommand extends CommandRunner {
  async run(): Promise<void> {
    out(
      'usage: crossdock edi <parse|validate|ack|translate> <file> | crossdock edi outbound <set> <file> --partner <id>',
    );
    process.exitCode = 2;
  }
}

/** Every provider the CLI module registers for the edi commands. */
export const EDI_COMMANDS = [
  EdiCommand,
  EdiParseCommand,
  EdiValidateCommand,
  EdiAckCommand,
  EdiTranslateCommand,
  EdiOutboundCommand,
];
