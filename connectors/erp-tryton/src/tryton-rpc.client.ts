/**
 * A JSON-RPC client for trytond. It logs in with common.db.login, sends the session as
 * `Authorization: Session base64(login:uid:key)`, appends the user's context (company, language)
 * as the last parameter of every call, logs in again once when the session has expired (401),
 * backs off on 429/503 (Retry-After honoured), and types errors that arrive inside HTTP 200.
 *
 * Network faults are retried only for reads: a create that timed out may have committed, so the
 * caller (an idempotent action) looks before it writes again.
 */
import * as http from 'node:http';
import axios from 'axios';
import { errorFromBody, TrytonError } from './tryton-errors';
import { decodeTryton, encodeTryton } from './tryton-values';

export interface TrytonClientOptions {
  /** Database endpoint, e.g. `http://127.0.0.1:8000/mydb/`. */
  url: string;
  login: string;
  password: string;
  language?: string;
  timeoutMs?: number;
  maxAttempts?: number;
  /** Calls in flight at once through this client. */
  maxConcurrency?: number;
}

const READ_ONLY =
  /(\.search|\.search_read|\.search_count|\.read|\.fields_get|get_preferences|common\.db\.login|common\.server\.version)$/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH']);

function retryAfterMs(header: unknown): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class TrytonRpcClient {
  private session: { header: string; uid: number } | undefined;
  private loggingIn: Promise<void> | undefined;
  private context: Record<string, unknown> = {};
  private nextId = 1;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly agent = new http.Agent({ keepAlive: true });
  readonly stats = { calls: 0, logins: 0, retries: 0, throttled: 0 };

  constructor(private readonly options: TrytonClientOptions) {}

  get userId(): number | undefined {
    return this.session?.uid;
  }

  /** The user's context as sent with every call (company, language, ...). */
  get userContext(): Readonly<Record<string, unknown>> {
    return this.context;
  }

  async login(): Promise<void> {
    this.loggingIn ??= this.doLogin().finally(() => {
      this.loggingIn = undefined;
    });
    return this.loggingIn;
  }

  /** Calls `method` with `params` and the user context appended as the last parameter. */
  async call<T = unknown>(
    method: string,
    params: unknown[],
    extraContext: Record<string, unknown> = {},
  ): Promise<T> {
    if (!this.session) await this.login();
    let relogged = false;
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await this.post(
        method,
        [...params, { ...this.context, ...extraContext }],
        true,
        attempt,
      );
      if (outcome === 'relogin') {
        if (relogged) throw new TrytonError('auth', 'session refused right after a new login', method);
        relogged = true;
        this.session = undefined;
        await this.login();
        continue;
      }
      if (outcome === 'retry') continue;
      return outcome.result as T;
    }
  }

  /** Like call, but confirms UserWarnings (res.user.warning) and sends the call again. */
  async callConfirmingWarnings<T = unknown>(
    method: string,
    params: unknown[],
    extraContext: Record<string, unknown> = {},
  ): Promise<T> {
    const confirmed = new Set<string>();
    for (;;) {
      try {
        return await this.call<T>(method, params, extraContext);
      } catch (error) {
        const name = error instanceof TrytonError ? error.warningName : undefined;
        if (!name || confirmed.has(name)) throw error;
        confirmed.add(name);
        await this.call('model.res.user.warning.create', [
          [{ user: this.session?.uid, name, always: false }],
        ]);
      }
    }
  }

  private async doLogin(): Promise<void> {
    const { login, password, language } = this.options;
    let outcome = await this.post('common.db.login', [login, { password }, language ?? 'en'], false, 0);
    for (let attempt = 1; outcome === 'retry'; attempt += 1) {
      outcome = await this.post('common.db.login', [login, { password }, language ?? 'en'], false, attempt);
    }
    if (outcome === 'relogin') throw new TrytonError('auth', 'login refused', 'common.db.login');
    const result = outcome.result;
    if (!Array.isArray(result) || typeof result[0] !== 'number' || typeof result[1] !== 'string') {
      throw new TrytonError('auth', `login of ${login} refused`, 'common.db.login');
    }
    this.stats.logins += 1;
    this.session = {
      uid: result[0],
      header: `Session ${Buffer.from(`${login}:${result[0]}:${result[1]}`).toString('base64')}`,
    };
    const preferences = await this.post('model.res.user.get_preferences', [true, {}], true, 0);
    if (preferences === 'relogin' || preferences === 'retry')
      throw new TrytonError('auth', 'session refused after login', 'get_preferences');
    this.context = (preferences.result ?? {}) as Record<string, unknown>;
  }

  private async acquire(): Promise<void> {
    const cap = this.options.maxConcurrency ?? 4;
    if (this.inFlight < cap) {
      this.inFlight += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight -= 1;
  }

  private async post(
    method: string,
    params: unknown[],
    authenticated: boolean,
    attempt: number,
  ): Promise<{ result: unknown } | 'relogin' | 'retry'> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (authenticated && this.session) headers.Authorization = this.session.header;
    await this.acquire();
    let response;
    try {
      this.stats.calls += 1;
      response = await axios.post<unknown>(
        this.options.url,
        JSON.stringify({ id: this.nextId++, method, params: encodeTryton(params) }),
        {
          headers,
          timeout: this.options.timeoutMs ?? 30_000,
          validateStatus: () => true,
          httpAgent: this.agent,
          responseType: 'json',
        },
      );
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
      const safeToRepeat = READ_ONLY.test(method) || code === 'ECONNREFUSED';
      if ((NETWORK_CODES.has(code) || timedOut) && safeToRepeat && attempt + 1 < maxAttempts) {
        this.stats.retries += 1;
        await sleep(Math.min(10_000, 200 * 2 ** attempt));
        return 'retry';
      }
      if (timedOut)
        throw new TrytonError(
          'timeout',
          `no answer within ${this.options.timeoutMs ?? 30_000} ms (the call may have committed)`,
          method,
        );
      throw new TrytonError(
        'unreachable',
        `Tryton unreachable at ${this.options.url}: ${code || (error as Error).message}`,
        method,
      );
    } finally {
      this.release();
    }
    if (response.status === 401) {
      if (!authenticated)
        throw new TrytonError('auth', `login of ${this.options.login} refused (HTTP 401)`, method);
      return 'relogin';
    }
    if (response.status === 403)
      throw new TrytonError('forbidden', 'method not exposed or access denied (HTTP 403)', method);
    if (response.status === 429 || response.status === 503) {
      if (attempt + 1 >= maxAttempts)
        throw new TrytonError(
          'rate-limited',
          `still HTTP ${response.status} after ${maxAttempts} attempts`,
          method,
        );
      if (response.status === 429) this.stats.throttled += 1;
      this.stats.retries += 1;
      await sleep(retryAfterMs(response.headers['retry-after']) ?? Math.min(30_000, 500 * 2 ** attempt));
      return 'retry';
    }
    if (response.status !== 200) throw new TrytonError('server', `HTTP ${response.status}`, method);
    const body = (typeof response.data === 'string' ? JSON.parse(response.data) : response.data) as {
      result?: unknown;
      error?: unknown;
    };
    if (body.error !== undefined && body.error !== null) {
      const error = errorFromBody(method, body.error);
      if (error.kind === 'rate-limited' && attempt + 1 < maxAttempts) {
        this.stats.throttled += 1;
        await sleep(Math.min(30_000, 500 * 2 ** attempt));
        return 'retry';
      }
      throw error;
    }
    return { result: decodeTryton(body.result) };
  }
}
