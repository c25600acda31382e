/**
 * An HTTP proxy in front of a real trytond that can misbehave on purpose: answer 401 or 429
 * instead of forwarding, or forward a call (so the server commits it) and then hold the answer
 * past the client's timeout. Used to prove relogin, back-off and idempotency on the real server.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyFault =
  | { kind: 'status'; status: 401 | 429 | 503; retryAfter?: string; method?: string }
  | { kind: 'hold-answer'; holdMs: number; method: string };

export class TrytonFaultProxy {
  readonly faults: ProxyFault[] = [];
  readonly methods: string[] = [];
  private server: http.Server | undefined;
  private port = 0;

  constructor(private readonly upstream: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}${new URL(this.upstream).pathname}`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const method = (JSON.parse(body) as { method?: string }).method ?? '';
    this.methods.push(method);
    const index = this.faults.findIndex((f) => !f.method || f.method === method);
    const fault = index >= 0 ? this.faults.splice(index, 1)[0] : undefined;
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {});
      res.end();
      return;
    }
    const upstream = new URL(req.url ?? '/', this.upstream).toString();
    const answer = await fetch(upstream, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(req.headers.authorization ? { Authorization: req.headers.authorization } : {}),
      },
      body,
    });
    const text = await answer.text();
    if (fault?.kind === 'hold-answer') await new Promise((r) => setTimeout(r, fault.holdMs));
    if (res.destroyed) return;
    res.writeHead(answer.status, { 'Content-Type': 'application/json' });
    res.end(text);
  }
}
