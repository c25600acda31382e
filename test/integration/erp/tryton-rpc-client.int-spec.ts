/**
 * The Tryton JSON-RPC client against a scripted loopback server: protocol edges a real trytond
 * cannot be made to show on demand (an HTTP-date Retry-After, a connection reset on a read and on
 * a write, the exact wire form of typed values). Behaviour against the real server is covered in
 * erp-tryton.int-spec.ts.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TrytonDate, TrytonDecimal, TrytonError, TrytonRpcClient } from '@crossdock/connectors/erp-tryton';

type Handler = (
  body: { method: string; params: unknown[] },
  req: http.IncomingMessage,
  res: http.ServerResponse,
) => void;

describe('TrytonRpcClient on a scripted server', () => {
  let server: http.Server;
  let url: string;
  const script: Handler[] = [];
  const seen: { method: string; params: unknown[]; authorization?: string }[] = [];

  const answer = (res: http.ServerResponse, body: unknown) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const standard: Handler = (body, _req, res) => {
    if (body.method === 'common.db.login') return answer(res, { id: 1, result: [7, 'key-1'] });
    if (body.method === 'model.res.user.get_preferences')
      return answer(res, { id: 1, result: { company: 1, language: 'en' } });
    return answer(res, { id: 1, result: 'ok' });
  };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let text = '';
      req.on('data', (chunk) => (text += String(chunk)));
      req.on('end', () => {
        const body = JSON.parse(text) as { method: string; params: unknown[] };
        seen.push({ ...body, authorization: req.headers.authorization });
        const handler = body.method.startsWith('model.test') ? (script.shift() ?? standard) : standard;
        handler(body, req, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/db/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    script.length = 0;
    seen.length = 0;
  });

  it('sends the session header, typed values and the context as the last parameter', async () => {
    const client = new TrytonRpcClient({ url, login: 'crossdock', password: 'pw' });
    await client.call('model.test.write', [
      [1],
      { price: TrytonDecimal.of('1.10'), due: new TrytonDate('2026-12-01') },
    ]);
    const call = seen.find((s) => s.method === 'model.test.write')!;
    expect(call.authorization).toBe(`Session ${Buffer.from('crossdock:7:key-1').toString('base64')}`);
    expect(call.params).toEqual([
      [1],
      {
        price: { __class__: 'Decimal', decimal: '1.10' },
        due: { __class__: 'date', year: 2026, month: 12, day: 1 },
      },
      { company: 1, language: 'en' },
    ]);
  });

  it('waits until a Retry-After HTTP date on 503', async () => {
    const client = new TrytonRpcClient({ url, login: 'crossdock', password: 'pw' });
    await client.login();
    script.push((_b, _r, res) => {
      res.writeHead(503, { 'Retry-After': new Date(Date.now() + 2000).toUTCString() });
      res.end();
    });
    const started = Date.now();
    await expect(client.call('model.test.search', [[]])).resolves.toBe('ok');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('retries a read after a reset connection but never repeats a write', async () => {
    const client = new TrytonRpcClient({ url, login: 'crossdock', password: 'pw' });
    await client.login();
    script.push((_b, req) => req.socket.destroy());
    await expect(client.call('model.test.search_read', [[]])).resolves.toBe('ok');

    script.push((_b, req) => req.socket.destroy());
    const error = await client.call('model.test.create', [[{}]]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrytonError);
    expect((error as TrytonError).kind).toBe('unreachable');
    expect(seen.filter((s) => s.method === 'model.test.create')).toHaveLength(1);
  });

  it('confirms a UserWarning once and sends the call again', async () => {
    const client = new TrytonRpcClient({ url, login: 'crossdock', password: 'pw' });
    script.push((_b, _r, res) =>
      answer(res, { id: 1, error: ['UserWarning', ['moves_no_origin', 'Moves have no origin.', '']] }),
    );
    await expect(client.callConfirmingWarnings('model.test.do', [[1]])).resolves.toBe('ok');
    const warning = seen.find((s) => s.method === 'model.res.user.warning.create')!;
    expect(warning.params[0]).toEqual([{ user: 7, name: 'moves_no_origin', always: false }]);
  });
});
