import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsObject, IsString, Matches, MaxLength } from 'class-validator';
import { OUTBOUND_SET_IDS, type OutboundSetId } from '@crossdock/edi';

export class SendEdiDocumentDto {
  @ApiProperty({ example: 'acme-supply', description: 'Trading partner id (GET /edi/partners)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  partnerId: string;

  @ApiProperty({ enum: OUTBOUND_SET_IDS, example: '850' })
  @IsIn(OUTBOUND_SET_IDS)
  setId: OutboundSetId;

  @ApiProperty({
    example: 'PO-1001/r1',
    description:
      'The business document and its revision. One key is sent once: asking again answers with the first send; a change is a new key.',
  })
  @IsString()
  @Matches(/^\S(.*\S)?$/, { message: 'documentKey must not start or end with a space' })
  @MaxLength(200)
  documentKey: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'What the set is made from: a canonical purchase order (850), { order, changes, changeDate } (860), a sales order (940), a transfer shipment (943)',
  })
  @IsObject()
  input: Record<string, unknown>;
}
