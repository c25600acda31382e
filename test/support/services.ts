/**
 * The real services the integration and e2e tiers talk to, and a fail-fast probe for each: a
 * missing or stopped service ends the run at once with its name, instead of a hang in a hook.
 */
import * as net from 'node:net';

export interface ServiceAddress {
  name: string;
  host: string;
  port: number;
  hint: string;
}

export const MARIADB: ServiceAddress = {
  name: 'MariaDB',
  host: process.env.TEST_MYSQL_HOST ?? '127.0.0.1',
  port: Number(process.env.TEST_MYSQL_PORT ?? 3306),
  hint: 'start it with: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql',
};

export const REDIS: ServiceAddress = {
  name: 'Redis',
  host: process.env.TEST_REDIS_HOST ?? '127.0.0.1',
  port: Number(process.env.TEST_REDIS_PORT ?? 6379),
  hint: 'start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
};

export function mysqlUrl(database: string): string {
  return `mysql://root@${MARIADB.host}:${MARIADB.port}/${database}`;
}

export function redisUrl(): string {
  return `redis://${REDIS.host}:${REDIS.port}`;
}

/** Opens a TCP connection and sends `probe`; resolves on any answer, rejects naming the service. */
export function probe(service: ServiceAddress, payload?: string, timeoutMs = 3000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: service.host, port: service.port });
    const fail = (why: string) => {
      socket.destroy();
      reject(new Error(`${service.name} is not reachable at ${service.host}:${service.port} (${why}); ${service.hint}`));
    };
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
    socket.once('error', (err) => {
      clearTimeout(timer);
      fail(err.message);
    });
    socket.once('connect', () => {
      if (payload) socket.write(payload);
    });
    socket.once('data', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
  });
}

export async function requireServices(): Promise<void> {
  // MariaDB greets first; Redis answers PING.
  await Promise.all([probe(MARIADB), probe(REDIS, 'PING\r\n')]);
}
