/** The payload of `create-purchase-order`, validated before anything is sent to the ERP. */
import 'reflect-metadata';
import { Type, plainToInstance } from 'class-transformer';
import {
  ArrayMinSize,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  Matches,
  ValidateNested,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { InputError, type InputIssue } from '@crossdock/domain';

export class RestPurchaseLinePayload {
  @IsString()
  sku: string;

  @IsNumber()
  @IsPositive()
  quantity: number;

  /** Decimal string, so the price reaches the ERP as written. */
  @IsOptional()
  @Matches(/^\d+(\.\d+)?$/)
  unitPrice?: string;

  /** Defaults to the order's delivery date. */
  @IsOptional()
  @IsISO8601({ strict: true })
  deliveryDate?: string;
}

export class RestCreatePurchaseOrderPayload {
  @IsString()
  supplierCode: string;

  @IsString()
  warehouseCode: string;

  /** Date the goods are needed by (ERPNext: `schedule_date`, mandatory). */
  @IsISO8601({ strict: true })
  deliveryDate: string;

  @ValidateNested({ each: true })
  @ArrayMinSize(1)
  @Type(() => RestPurchaseLinePayload)
  lines: RestPurchaseLinePayload[];
}

function flatten(errors: ValidationError[], prefix = ''): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Validates a payload; every problem is named by its field. */
export function parsePurchaseOrderPayload(payload: unknown, source: string): RestCreatePurchaseOrderPayload {
  const instance = plainToInstance(RestCreatePurchaseOrderPayload, payload ?? {});
  const problems = flatten(validateSync(instance, { forbidUnknownValues: false }));
  if (problems.length > 0) {
    const issues: InputIssue[] = problems.map((p) => ({
      code: 'BAD_PAYLOAD',
      message: `field ${p.field}: ${p.message}`,
      severity: 'error',
      place: { source, field: p.field },
    }));
    throw new InputError(issues);
  }
  return instance;
}
