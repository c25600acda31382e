import { Writable } from 'node:stream';
import pino from 'pino';
import { pinoRedactPaths, redact, REDACTED } from './redact';

describe('redact', () => {
  it('replaces secret fields at any depth without touching the input', () => {
    const input = {
      name: 'erp-main',
      config: { host: 'erp.local', password: 'pw', nested: [{ apiKey: 'k1', keep: 1 }] },
      PASSWORD: 'upper',
    };
    const output = redact(input, ['password', 'apiKey']);
    expect(output).toEqual({
      name: 'erp-main',
      config: { host: 'erp.local', password: REDACTED, nested: [{ apiKey: REDACTED, keep: 1 }] },
      PASSWORD: REDACTED,
    });
    expect(input.config.password).toBe('pw');
  });

  it('keeps unset secrets visible as unset and survives cycles', () => {
    const node: Record<string, unknown> = { password: null, token: undefined };
    node.self = node;
    const output = redact<Record<string, unknown>>(node, ['password', 'token']);
    expect(output.password).toBeNull();
    expect(output.token).toBeUndefined();
    expect(output.self).toBe('[Circular]');
  });
});

describe('pinoRedactPaths', () => {
  it('hides secrets in real pino output up to three levels deep', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ redact: pinoRedactPaths(['sftpKey']) }, sink);
    logger.info(
      {
        password: 'top',
        connection: { sftpKey: 'lvl1', config: { token: 'lvl2', inner: { apiKey: 'lvl3' } } },
        req: { headers: { authorization: 'Bearer abc' } },
      },
      'hello',
    );
    const line = lines.join('');
    for (const secret of ['top', 'lvl1', 'lvl2', 'lvl3', 'Bearer abc']) expect(line).not.toContain(secret);
    expect(line).toContain('[Redacted]');
    expect(line).toContain('hello');
  });
});
