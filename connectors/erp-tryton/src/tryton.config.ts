import { IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';

/** A connection to a Tryton server over JSON-RPC. `password` is a secret (see the manifest). */
export class TrytonConfig {
  /** Database endpoint, e.g. `https://erp.example.com/prod/`. */
  @IsUrl({ require_tld: false, require_protocol: true })
  url: string;

  @IsString()
  login: string;

  @IsString()
  password: string;

  @IsOptional()
  @IsString()
  language?: string;

  @IsOptional()
  @IsInt()
  @Min(100)
  timeoutMs?: number;

  /** Calls in flight at once for this connection. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(32)
  maxConcurrency?: number;

  /** Seconds re-read before the cursor, for rows committed late with an older write_date. */
  @IsOptional()
  @IsInt()
  @Min(0)
  overlapSeconds?: number;
}
