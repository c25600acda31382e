import * as path from 'node:path';
import {
  Body,
  ConflictException,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Inject,
  Logger,
  NotFoundException,
  Param,
  Put,
  Res,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { InputError } from '@crossdock/domain';
import {
  EdiPartnerRepository,
  PartnerSenderConflictError,
  type PartnerPutOutcome,
  type Persistence,
  type StoredPartner,
} from '@crossdock/persistence';
import { mappingsRoot, PERSISTENCE } from '@crossdock/apps-common';
import { RequestValidationError } from '../http/validation';
import { PartnerProfileDto } from './edi-partner.dto';

const ACTOR_HEADER = 'x-crossdock-actor';

/**
 * Trading-partner profiles of the EDI gateway. Stored in `edi_partner`; the files under
 * mappings/partners/ are imported there when the API starts (see docs/edi.md for which wins).
 * Workers read the table for every received file, so a change applies to the next file.
 */
@ApiTags('edi')
@Controller('edi/partners')
export class EdiPartnersController implements OnApplicationBootstrap {
  private readonly logger = new Logger('edi-partners');
  private readonly partners: EdiPartnerRepository;

  constructor(@Inject(PERSISTENCE) db: Persistence) {
    this.partners = new EdiPartnerRepository(db.unitOfWork);
  }

  /** Brings the table up to date with the profile files before the first request is served. */
  async onApplicationBootstrap(): Promise<void> {
    const report = await this.partners.importFiles(path.join(mappingsRoot(), 'partners'));
    if (report.created.length + report.updated.length > 0)
      this.logger.log(
        `partner files imported: created ${report.created.join(', ') || '-'}, updated ${report.updated.join(', ') || '-'}`,
      );
    if (report.keptApiVersion.length > 0)
      this.logger.log(
        `partners changed through the API since their file was imported (kept): ${report.keptApiVersion.join(', ')}`,
      );
  }

  @Get()
  @ApiOkResponse({ description: 'Every profile with its origin (file | api), revision and last change' })
  list(): Promise<StoredPartner[]> {
    return this.partners.list();
  }

  @Get(':id')
  @ApiOkResponse({ description: 'The profile with its origin, revision and last change' })
  @ApiNotFoundResponse({ description: 'No partner with this id' })
  async get(@Param('id') id: string): Promise<StoredPartner> {
    const partner = await this.partners.get(id);
    if (!partner) throw new NotFoundException(`no trading partner ${id}`);
    return partner;
  }

  @Put(':id')
  @ApiHeader({
    name: ACTOR_HEADER,
    required: false,
    description: 'who makes the change, for the audit trail (default: api)',
  })
  @ApiCreatedResponse({ description: 'Created (audited)' })
  @ApiOkResponse({ description: 'Replaced (audited), or `unchanged` when the profile is the same' })
  @ApiBadRequestResponse({ description: 'Each wrong field named in `issues` (place.field); nothing stored' })
  @ApiConflictResponse({ description: 'Another partner already uses this ISA sender (isaQualifier/isaId)' })
  async put(
    @Param('id') id: string,
    @Body() body: PartnerProfileDto,
    @Headers(ACTOR_HEADER) actor: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PartnerPutOutcome> {
    if (body.id !== undefined && body.id !== id) {
      throw new RequestValidationError([
        {
          code: 'PARTNER_ID_MISMATCH',
          message: `id ${body.id} in the body differs from ${id} in the path`,
          place: { source: 'request body', field: 'id' },
          severity: 'error',
        },
      ]);
    }
    try {
      const outcome = await this.partners.put(
        { ...body, id },
        { actor: actorOf(actor), source: 'request body' },
      );
      response.status(outcome.status === 'created' ? HttpStatus.CREATED : HttpStatus.OK);
      return outcome;
    } catch (error) {
      // Profile rules are request validation here (400), like the DTO's, not a rejected import (422).
      if (error instanceof InputError) throw new RequestValidationError(error.issues);
      if (error instanceof PartnerSenderConflictError) {
        throw new ConflictException({
          message: error.message,
          issues: [
            {
              code: 'PARTNER_SENDER_TAKEN',
              message: error.message,
              place: { source: 'request body', field: 'isaId' },
              severity: 'error',
            },
          ],
        });
      }
      throw error;
    }
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiHeader({
    name: ACTOR_HEADER,
    required: false,
    description: 'who makes the change, for the audit trail (default: api)',
  })
  @ApiNoContentResponse({
    description: 'Deleted (audited). A profile file with this id brings it back at the next import.',
  })
  @ApiNotFoundResponse({ description: 'No partner with this id' })
  async remove(@Param('id') id: string, @Headers(ACTOR_HEADER) actor: string | undefined): Promise<void> {
    const deleted = await this.partners.delete(id, { actor: actorOf(actor) });
    if (!deleted) throw new NotFoundException(`no trading partner ${id}`);
  }
}

function actorOf(header: string | undefined): string {
  const actor = header?.trim();
  return actor ? actor.slice(0, 100) : 'api';
}
