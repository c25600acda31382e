/**
 * One HTTP GET as the ERP expects it: authenticated, inside the connection's gate, retried on
 * 429/503 after Retry-After (seconds or HTTP date) or on network errors with back-off, refreshed
 * once on 401, and any failure turned into an ErpRestError carrying the vendor's code and message.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import axios, { type AxiosResponse } from 'axios';
import type { ErpRestConfig } from '../erp-rest.config';
import { ErpRestError } from '../errors';
import { readPath, type ErpRestProfile } from '../profile';
import type { AuthStrategy } from './auth';
import type { ConnectionGate } from './connection-gate';
import { backoffDelay, parseRetryAfter } from './retry-after';

const keepAlive = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

export interface RestResponse {
  status: number;
  body: unknown;
}

export interface RestClientStats {
  requests: number;
  throttled: number;
  retries: number;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ErpRestError('unreachable', 'run aborted'));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new ErpRestError('unreachable', 'run aborted'));
      },
      { once: true },
    );
  });
}

export class RestClient {
  readonly stats: RestClientStats = { requests: 0, throttled: 0, retries: 0 };
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly config: ErpRestConfig,
    private readonly profile: ErpRestProfile,
    private readonly auth: AuthStrategy,
    private readonly gate: ConnectionGate,
  ) {
    this.timeoutMs = config.timeoutMs ?? 30_000;
    this.maxAttempts = config.maxAttempts ?? 6;
  }

  /** Resolves a stream path or an absolute next-link against the base URL. */
  url(pathOrUrl: string): string {
    if (/^https?:\/\//.test(pathOrUrl)) return pathOrUrl;
    const base = this.config.baseUrl.endsWith('/') ? this.config.baseUrl : `${this.config.baseUrl}/`;
    return new URL(pathOrUrl.split('/').map(encodeURIComponent).join('/'), base).toString();
  }

  async get(
    pathOrUrl: string,
    params: Record<string, string> = {},
    headers: Record<string, string> = {},
    signal?: AbortSignal,
  ): Promise<RestResponse> {
    return this.send('GET', pathOrUrl, params, headers, undefined, signal);
  }

  /**
   * Sends a write once. A 429 or 503 (the ERP refused before doing anything) is retried after
   * Retry-After; a lost answer (timeout, reset) is never repeated: it fails with
   * `details.uncertain`, and the caller looks up what the ERP committed.
   */
  async post(pathOrUrl: string, body: unknown, signal?: AbortSignal): Promise<RestResponse> {
    return this.send('POST', pathOrUrl, {}, { 'Content-Type': 'application/json' }, body, signal);
  }

  private async send(
    method: 'GET' | 'POST',
    pathOrUrl: string,
    params: Record<string, string>,
    headers: Record<string, string>,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<RestResponse> {
    const url = this.url(pathOrUrl);
    const write = method !== 'GET';
    let refreshed = false;
    for (let attempt = 0; ; attempt += 1) {
      let response: AxiosResponse<unknown>;
      try {
        response = await this.gate.run(async () => {
          this.stats.requests += 1;
          return axios.request<unknown>({
            method,
            url,
            params,
            data: body,
            headers: { Accept: 'application/json', ...headers, ...(await this.auth.header()) },
            timeout: this.timeoutMs,
            validateStatus: () => true,
            httpAgent: keepAlive.http,
            httpsAgent: keepAlive.https,
            signal,
          });
        });
      } catch (error) {
        if (error instanceof ErpRestError) throw error;
        const code = (error as { code?: string }).code ?? '';
        if (write) {
          throw new ErpRestError(
            'unreachable',
            `answer to ${method} ${url} lost (${code || (error as Error).message}); the ERP may have applied it`,
            { url, uncertain: true },
          );
        }
        if (!NETWORK_CODES.has(code) || attempt + 1 >= this.maxAttempts) {
          throw new ErpRestError(
            'unreachable',
            `ERP unreachable at ${url}: ${code || (error as Error).message}`,
            { url },
          );
        }
        this.stats.retries += 1;
        await sleep(backoffDelay(attempt, 200, 10_000), signal);
        continue;
      }
      const { status } = response;
      if (status >= 200 && status < 300) return { status, body: response.data };
      if (status === 401 && !refreshed && this.auth.invalidate()) {
        refreshed = true;
        continue;
      }
      // a gateway error on a write may come after the ERP applied it: not retried blindly
      const retryable = status === 429 || status === 503 || (!write && (status === 502 || status === 504));
      if (retryable && attempt + 1 < this.maxAttempts) {
        const header = response.headers['retry-after'] as string | undefined;
        const wait = parseRetryAfter(header) ?? backoffDelay(attempt, 500, 30_000);
        if (status === 429) {
          this.stats.throttled += 1;
          // the limit is per connection: hold every request of this connection, not only this one
          this.gate.pause(Date.now() + wait);
        }
        this.stats.retries += 1;
        await sleep(wait, signal);
        continue;
      }
      const error = this.toError(status, response.data, url);
      if (write && (status === 502 || status === 504)) error.details.uncertain = true;
      throw error;
    }
  }

  private toError(status: number, body: unknown, url: string): ErpRestError {
    const code = readPath(body, this.profile.errorShape.codePath);
    const message = readPath(body, this.profile.errorShape.messagePath);
    const vendor = `${typeof code === 'string' ? code : `HTTP ${status}`}${typeof message === 'string' ? `: ${message}` : ''}`;
    const details = { status, url, vendorCode: typeof code === 'string' ? code : undefined };
    if (status === 401 || status === 403)
      return new ErpRestError('auth', `ERP refused the credentials (${vendor})`, details);
    if (status === 404)
      return new ErpRestError('not-found', `ERP has no such resource ${url} (${vendor})`, details);
    if (status === 429)
      return new ErpRestError(
        'rate-limited',
        `ERP kept throttling after ${this.maxAttempts} attempts (${vendor})`,
        details,
      );
    if (status >= 500)
      return new ErpRestError('server', `ERP failed with HTTP ${status} (${vendor})`, details);
    return new ErpRestError('rejected', `ERP rejected the request with HTTP ${status} (${vendor})`, details);
  }
}
