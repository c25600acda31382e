/** Payloads of the Tryton actions, validated before anything is sent to the ERP. */
import 'reflect-metadata';
import { Type, plainToInstance } from 'class-transformer';
import {
  ArrayMinSize,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  Matches,
  Min,
  ValidateNested,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { InputError, type InputIssue } from '@crossdock/domain';

const DECIMAL = /^\d+(\.\d+)?$/;

export class PurchaseLinePayload {
  @IsString()
  sku: string;

  @IsNumber()
  @IsPositive()
  quantity: number;

  /** Decimal string, so the price reaches the ERP exactly. */
  @IsOptional()
  @Matches(DECIMAL)
  unitPrice?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  deliveryDate?: string;
}

export class CreatePurchaseOrderPayload {
  @IsString()
  supplierCode: string;

  @IsString()
  warehouseCode: string;

  @ValidateNested({ each: true })
  @ArrayMinSize(1)
  @Type(() => PurchaseLinePayload)
  lines: PurchaseLinePayload[];
}

export class ExpeditePurchaseLinePayload {
  @IsString()
  poNumber: string;

  /** 1-based position of the line among the purchase's product lines. */
  @IsInt()
  @Min(1)
  lineNo: number;

  @IsISO8601({ strict: true })
  newDeliveryDate: string;

  @IsString()
  note: string;
}

export class TransferLinePayload {
  @IsString()
  sku: string;

  @IsNumber()
  @IsPositive()
  quantity: number;
}

export class CreateInternalShipmentPayload {
  @IsString()
  fromWarehouseCode: string;

  @IsString()
  toWarehouseCode: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  plannedDate?: string;

  @ValidateNested({ each: true })
  @ArrayMinSize(1)
  @Type(() => TransferLinePayload)
  lines: TransferLinePayload[];
}

function flatten(errors: ValidationError[], prefix = ''): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Validates a payload; every problem is named by its field. */
export function parsePayload<T extends object>(type: new () => T, payload: unknown, source: string): T {
  const instance = plainToInstance(type, payload ?? {});
  const problems = flatten(validateSync(instance, { forbidUnknownValues: false }));
  if (problems.length > 0) {
    const issues: InputIssue[] = problems.map((p) => ({
      code: 'BAD_PAYLOAD',
      message: p.message,
      severity: 'error',
      place: { source, field: p.field },
    }));
    throw new InputError(issues);
  }
  return instance;
}
