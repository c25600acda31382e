import { ConnectionGate } from './connection-gate';

describe('ConnectionGate', () => {
  it('never lets more than maxConcurrency run at once', async () => {
    const gate = new ConnectionGate({ maxConcurrency: 5, requestsPerSecond: 1e6 });
    let running = 0;
    let peak = 0;
    const job = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 2));
      running -= 1;
    };
    await Promise.all(Array.from({ length: 50 }, () => gate.run(job)));
    expect(peak).toBe(5);
    expect(gate.peak).toBe(5);
    expect(gate.active).toBe(0);
  });

  it('spaces starts to the rate limit', async () => {
    const gate = new ConnectionGate({ maxConcurrency: 10, requestsPerSecond: 100 });
    const started: number[] = [];
    const t0 = Date.now();
    // the bucket starts full (100 tokens), so 150 starts need about half a second more
    await Promise.all(
      Array.from({ length: 150 }, () => gate.run(async () => void started.push(Date.now() - t0))),
    );
    expect(Math.max(...started)).toBeGreaterThanOrEqual(400);
  });

  it('holds every start while paused', async () => {
    const gate = new ConnectionGate({ maxConcurrency: 2, requestsPerSecond: 1000 });
    const t0 = Date.now();
    gate.pause(t0 + 150);
    await gate.run(async () => undefined);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('releases its slot when the work fails', async () => {
    const gate = new ConnectionGate({ maxConcurrency: 1, requestsPerSecond: 1000 });
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(async () => 'ok')).resolves.toBe('ok');
  });
});
