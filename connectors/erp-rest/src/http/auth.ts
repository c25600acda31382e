/**
 * Authentication strategies. OAuth2 client credentials keeps its token until shortly before it
 * expires and fetches a new one once, however many requests are waiting; a 401 invalidates it.
 */
import { createHash } from 'node:crypto';
import axios from 'axios';
import type { ErpRestConfig } from '../erp-rest.config';
import { ErpRestError } from '../errors';
import type { ErpRestProfile } from '../profile';

export interface AuthStrategy {
  header(): Promise<Record<string, string>>;
  /** Called after a 401; true when a retry with fresh credentials makes sense. */
  invalidate(): boolean;
}

/** Seconds before expiry at which a cached token is no longer used. */
const TOKEN_EXPIRY_MARGIN_S = 60;

class ClientCredentials implements AuthStrategy {
  private token: { value: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private refreshedAfter401 = 0;
  tokensFetched = 0;

  constructor(
    private readonly tokenUrl: string,
    private readonly clientId: string,
    private readonly clientSecret: string,
    private readonly scope: string | undefined,
    private readonly timeoutMs: number,
  ) {}

  async header(): Promise<Record<string, string>> {
    if (this.token && Date.now() < this.token.expiresAt)
      return { Authorization: `Bearer ${this.token.value}` };
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    return { Authorization: `Bearer ${await this.pending}` };
  }

  invalidate(): boolean {
    this.token = undefined;
    // one refresh per token lifetime: a second 401 in a row means the credentials are wrong
    this.refreshedAfter401 += 1;
    return this.refreshedAfter401 <= 1;
  }

  private async fetchToken(): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.clientId,
      client_secret: this.clientSecret,
    });
    if (this.scope) form.set('scope', this.scope);
    let response;
    try {
      response = await axios.post<unknown>(this.tokenUrl, form.toString(), {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        timeout: this.timeoutMs,
        validateStatus: () => true,
      });
    } catch (error) {
      throw new ErpRestError(
        'unreachable',
        `token endpoint ${this.tokenUrl} is unreachable: ${(error as Error).message}`,
        {
          url: this.tokenUrl,
        },
      );
    }
    const body = response.data as {
      access_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
      error_description?: unknown;
    };
    if (response.status !== 200 || typeof body.access_token !== 'string') {
      throw new ErpRestError(
        'auth',
        `token endpoint refused the client credentials (HTTP ${response.status}${typeof body.error === 'string' ? `, ${body.error}` : ''}${
          typeof body.error_description === 'string' ? `: ${body.error_description}` : ''
        })`,
        { status: response.status, url: this.tokenUrl },
      );
    }
    const lifetime = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in ?? 3600);
    this.tokensFetched += 1;
    this.refreshedAfter401 = 0;
    this.token = {
      value: body.access_token,
      expiresAt: Date.now() + Math.max(0, lifetime - TOKEN_EXPIRY_MARGIN_S) * 1000,
    };
    return body.access_token;
  }
}

class StaticHeader implements AuthStrategy {
  constructor(private readonly headers: Record<string, string>) {}
  async header(): Promise<Record<string, string>> {
    return this.headers;
  }
  invalidate(): boolean {
    return false;
  }
}

const cachedStrategies = new Map<string, AuthStrategy>();

/** The strategy of a connection; the OAuth2 token cache is shared by every run of that connection. */
export function authFor(
  connectionName: string,
  config: ErpRestConfig,
  profile: ErpRestProfile,
): AuthStrategy {
  if (!profile.auth.includes(config.auth)) {
    throw new ErpRestError(
      'auth',
      `profile ${profile.name} does not support auth "${config.auth}" (supports ${profile.auth.join(', ')})`,
    );
  }
  const secret = createHash('sha256')
    .update(`${config.clientSecret ?? ''}|${config.apiKey ?? ''}|${config.password ?? ''}`)
    .digest('hex');
  const key = `${connectionName}|${config.auth}|${config.clientId ?? config.username ?? ''}|${config.tokenUrl ?? ''}|${secret}`;
  const cached = cachedStrategies.get(key);
  if (cached) return cached;
  let strategy: AuthStrategy;
  switch (config.auth) {
    case 'oauth2-client-credentials':
      strategy = new ClientCredentials(
        config.tokenUrl ?? '',
        config.clientId ?? '',
        config.clientSecret ?? '',
        config.scope,
        config.timeoutMs ?? 30_000,
      );
      break;
    case 'api-key': {
      const scheme = profile.apiKey ?? { header: 'Authorization', prefix: '' };
      strategy = new StaticHeader({ [scheme.header]: `${scheme.prefix}${config.apiKey ?? ''}` });
      break;
    }
    case 'basic':
      strategy = new StaticHeader({
        Authorization: `Basic ${Buffer.from(`${config.username ?? ''}:${config.password ?? ''}`).toString('base64')}`,
      });
      break;
  }
  cachedStrategies.set(key, strategy);
  return strategy;
}
