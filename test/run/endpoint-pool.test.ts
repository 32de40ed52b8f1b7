import { describe, expect, it } from 'vitest';
import { createEndpointPool, type EndpointLease } from '../../harness/run/endpoint-pool.ts';
import { rejectionOf } from '../providers/request-helper.ts';

const signal = (): AbortSignal => new AbortController().signal;

describe('createEndpointPool', () => {
  it('spreads requests over the least busy endpoints up to the per-endpoint limit', async () => {
    const pool = createEndpointPool(['http://a', 'http://b'], { concurrencyPerEndpoint: 2 });
    const leases = await Promise.all([1, 2, 3, 4].map(() => pool.acquire(signal())));
    expect(leases.map((lease) => lease.endpoint)).toEqual(['http://a', 'http://b', 'http://a', 'http://b']);
    let fifth: EndpointLease | undefined;
    const waiting = pool.acquire(signal()).then((lease) => (fifth = lease));
    await Promise.resolve();
    expect(fifth).toBeUndefined();
    leases[1]?.release('ok');
    await waiting;
    expect(fifth?.endpoint).toBe('http://b');
    expect(pool.status().map((status) => status.active)).toEqual([2, 2]);
  });

  it('sends the next request to the endpoint with fewest in flight', async () => {
    const pool = createEndpointPool(['http://a', 'http://b', 'http://c'], { concurrencyPerEndpoint: 4 });
    const [a, b] = await Promise.all([pool.acquire(signal()), pool.acquire(signal())]);
    expect([a?.endpoint, b?.endpoint]).toEqual(['http://a', 'http://b']);
    expect((await pool.acquire(signal())).endpoint).toBe('http://c');
    a?.release('ok');
    expect((await pool.acquire(signal())).endpoint).toBe('http://a');
  });

  it('cools down an endpoint after consecutive failures, probes it after the cooldown, and heals it', async () => {
    let time = 1000;
    const pool = createEndpointPool(['http://bad', 'http://good'], { concurrencyPerEndpoint: 1, cooldownMs: 500, failureThreshold: 2, now: () => time });
    for (let round = 0; round < 2; round += 1) {
      const first = await pool.acquire(signal());
      const second = await pool.acquire(signal());
      expect([first.endpoint, second.endpoint].sort()).toEqual(['http://bad', 'http://good']);
      (first.endpoint === 'http://bad' ? first : second).release('failure');
      (first.endpoint === 'http://bad' ? second : first).release('ok');
    }
    expect(pool.status().map((status) => status.state)).toEqual(['cooling', 'healthy']);
    const served: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const lease = await pool.acquire(signal());
      served.push(lease.endpoint);
      lease.release('ok');
    }
    expect(served).toEqual(['http://good', 'http://good', 'http://good']);
    time += 500;
    expect(pool.status()[0]?.state).toBe('probing');
    const probe = await pool.acquire(signal());
    expect(probe.endpoint).toBe('http://bad');
    probe.release('ok');
    expect(pool.status()[0]).toEqual({ endpoint: 'http://bad', active: 0, consecutiveFailures: 0, state: 'healthy' });
  });

  it('allows one probe at a time on a half-open endpoint and re-opens it on failure', async () => {
    let time = 0;
    const pool = createEndpointPool(['http://a', 'http://b'], { concurrencyPerEndpoint: 3, cooldownMs: 100, failureThreshold: 1, now: () => time });
    const first = await pool.acquire(signal());
    expect(first.endpoint).toBe('http://a');
    first.release('failure');
    time = 100;
    const leases = await Promise.all([1, 2, 3].map(() => pool.acquire(signal())));
    expect(leases.map((lease) => lease.endpoint).sort()).toEqual(['http://a', 'http://b', 'http://b']);
    leases.find((lease) => lease.endpoint === 'http://a')?.release('failure');
    expect(pool.status()[0]?.state).toBe('cooling');
  });

  it('probes the endpoint whose cooldown ends first when all are cooling and idle', async () => {
    let time = 0;
    const pool = createEndpointPool(['http://a', 'http://b'], { concurrencyPerEndpoint: 2, cooldownMs: 1000, failureThreshold: 1, now: () => time });
    (await pool.acquire(signal())).release('failure');
    time = 10;
    (await pool.acquire(signal())).release('failure');
    expect(pool.status().map((status) => status.state)).toEqual(['cooling', 'cooling']);
    expect((await pool.acquire(signal())).endpoint).toBe('http://a');
  });

  it('ignores a second release of the same lease', async () => {
    const pool = createEndpointPool(['http://a'], { concurrencyPerEndpoint: 2 });
    const lease = await pool.acquire(signal());
    await pool.acquire(signal());
    lease.release('failure');
    lease.release('failure');
    expect(pool.status()[0]).toEqual({ endpoint: 'http://a', active: 1, consecutiveFailures: 1, state: 'healthy' });
  });

  it('rejects a waiting acquire when its signal aborts, and serves the next waiter', async () => {
    const pool = createEndpointPool(['http://a'], { concurrencyPerEndpoint: 1 });
    const held = await pool.acquire(signal());
    const controller = new AbortController();
    const aborted = pool.acquire(controller.signal);
    const next = pool.acquire(signal());
    const reason = new Error('cancelled');
    controller.abort(reason);
    expect(await rejectionOf(aborted)).toBe(reason);
    held.release('ok');
    expect((await next).endpoint).toBe('http://a');
  });

  it('rejects at once with an aborted signal', async () => {
    const pool = createEndpointPool(['http://a'], { concurrencyPerEndpoint: 1 });
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    expect(((await rejectionOf(pool.acquire(controller.signal))) as Error).message).toBe('gone');
  });
});
