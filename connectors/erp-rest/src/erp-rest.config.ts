import { IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Max, Min, ValidateIf } from 'class-validator';

/** A connection to a REST/OData ERP. Secrets are listed in the manifest's `secretFields`. */
export class ErpRestConfig {
  /** Profile name: a file under connectors/erp-rest/profiles/ (e.g. `business-central-v2`). */
  @IsString()
  profile: string;

  /** Base URL the stream paths are relative to, e.g. `.../api/v2.0/companies(<id>)/`. */
  @IsUrl({ require_tld: false, require_protocol: true })
  baseUrl: string;

  @IsIn(['oauth2-client-credentials', 'api-key', 'basic'])
  auth: 'oauth2-client-credentials' | 'api-key' | 'basic';

  @ValidateIf((c: ErpRestConfig) => c.auth === 'oauth2-client-credentials')
  @IsUrl({ require_tld: false, require_protocol: true })
  tokenUrl?: string;

  @ValidateIf((c: ErpRestConfig) => c.auth === 'oauth2-client-credentials')
  @IsString()
  clientId?: string;

  @ValidateIf((c: ErpRestConfig) => c.auth === 'oauth2-client-credentials')
  @IsString()
  clientSecret?: string;

  @IsOptional()
  @IsString()
  scope?: string;

  @ValidateIf((c: ErpRestConfig) => c.auth === 'api-key')
  @IsString()
  apiKey?: string;

  @ValidateIf((c: ErpRestConfig) => c.auth === 'basic')
  @IsString()
  username?: string;

  @ValidateIf((c: ErpRestConfig) => c.auth === 'basic')
  @IsString()
  password?: string;

  /** Requests in flight at once for this connection; default from the profile. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  maxConcurrency?: number;

  /** Requests started per second for this connection; default from the profile. */
  @IsOptional()
  @IsNumber()
  @Min(0.01)
  requestsPerSecond?: number;

  /** Seconds re-read before the cursor, to catch rows committed late with an older timestamp. */
  @IsOptional()
  @IsInt()
  @Min(0)
  overlapSeconds?: number;

  @IsOptional()
  @IsInt()
  @Min(100)
  timeoutMs?: number;

  /** Attempts per request on 429, 5xx and network errors before the run fails. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  maxAttempts?: number;
}
