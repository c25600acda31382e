/**
 * An in-process SFTP server (ssh2's `Server`, backed by a local directory) for faults a real
 * OpenSSH cannot be told to produce on cue: a connection dropped mid-transfer, reads that stall,
 * a file that vanishes between listing and open, a host key that changes. Like many partner
 * servers it offers no `posix-rename@openssh.com`. Integration tests use it only for these
 * faults; every other behaviour is tested against the OpenSSH peer (sftp-peer.ts).
 */
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { type Connection, type ParsedKey, Server, type SFTPWrapper, utils } from 'ssh2';
import { fingerprintOf } from '@crossdock/connectors/sftp';

const OK = 0;
const EOF = 1;
const NO_SUCH_FILE = 2;
const FAILURE = 4;
const FLAG_WRITE = 0x02;
const FLAG_CREATE = 0x08;
const FLAG_TRUNCATE = 0x10;
const FLAG_EXCLUSIVE = 0x20;

export interface FaultPlan {
  /** End the connection once this many bytes were served by READ. */
  dropAfterReadBytes?: number;
  /** End the connection once this many bytes were accepted by WRITE. */
  dropAfterWriteBytes?: number;
  /** Never answer READ requests (a peer that hangs mid-transfer). */
  stallReads?: boolean;
  /** Remote paths whose OPEN answers "no such file" although they are listed. */
  vanishOnOpen?: string[];
}

export interface FaultSftpServer {
  port: number;
  user: string;
  password: string;
  root: string;
  fingerprint(): string;
  /** Presents a new host key from now on, as a re-installed or hijacked server would. */
  rotateHostKey(): Promise<void>;
  setFaults(plan: FaultPlan): void;
  stop(): Promise<void>;
}

type Handle =
  { kind: 'file'; fd: number; remotePath: string } | { kind: 'dir'; remotePath: string; done: boolean };

function newHostKey(): { private: string; wire: Buffer } {
  const pair = utils.generateKeyPairSync('ed25519');
  const parsed = utils.parseKey(pair.public);
  if (parsed instanceof Error) throw parsed;
  return {
    private: pair.private,
    wire: (Array.isArray(parsed) ? (parsed[0] as ParsedKey) : parsed).getPublicSSH(),
  };
}

function attributesOf(stats: fs.Stats) {
  return {
    mode: stats.mode,
    uid: 0,
    gid: 0,
    size: stats.size,
    atime: Math.floor(stats.atimeMs / 1000),
    mtime: Math.floor(stats.mtimeMs / 1000),
  };
}

function longnameOf(name: string, stats: fs.Stats): string {
  const type = stats.isDirectory() ? 'd' : '-';
  return `${type}rw-r--r-- 1 0 0 ${stats.size} Jan 1 00:00 ${name}`;
}

export async function startFaultSftpServer(
  root: string,
  user = 'partner',
  password = 'partner-pw',
): Promise<FaultSftpServer> {
  let hostKey = newHostKey();
  let faults: FaultPlan = {};
  const connections = new Set<Connection>();
  const local = (remotePath: string) => {
    const resolved = path.resolve(root, `.${path.posix.normalize(`/${remotePath}`)}`);
    if (resolved !== root && !resolved.startsWith(`${root}/`)) throw new Error('outside root');
    return resolved;
  };

  const serve = (sftp: SFTPWrapper, client: Connection) => {
    const handles = new Map<number, Handle>();
    let nextHandle = 1;
    let readBytes = 0;
    let writtenBytes = 0;
    const open = (entry: Handle) => {
      const id = nextHandle++;
      handles.set(id, entry);
      const buffer = Buffer.alloc(4);
      buffer.writeUInt32BE(id);
      return buffer;
    };
    const lookup = (handle: Buffer) =>
      handle.length === 4 ? handles.get(handle.readUInt32BE(0)) : undefined;
    const fail = (reqId: number, error: unknown) =>
      sftp.status(
        reqId,
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? NO_SUCH_FILE : FAILURE,
        String(error),
      );

    sftp.on('OPEN', (reqId, filename, flags) => {
      try {
        if (faults.vanishOnOpen?.includes(filename)) return sftp.status(reqId, NO_SUCH_FILE, 'No such file');
        let mode = 'r';
        if (flags & FLAG_WRITE) mode = flags & FLAG_TRUNCATE ? 'w' : flags & FLAG_CREATE ? 'a' : 'r+';
        if (flags & FLAG_EXCLUSIVE) mode = 'wx';
        sftp.handle(
          reqId,
          open({ kind: 'file', fd: fs.openSync(local(filename), mode), remotePath: filename }),
        );
      } catch (error) {
        fail(reqId, error);
      }
    });
    sftp.on('READ', (reqId, handle, offset, length) => {
      const entry = lookup(handle);
      if (!entry || entry.kind !== 'file') return sftp.status(reqId, FAILURE, 'bad handle');
      if (faults.stallReads) return;
      const buffer = Buffer.alloc(length);
      const bytes = fs.readSync(entry.fd, buffer, 0, length, offset);
      if (bytes === 0) return sftp.status(reqId, EOF);
      readBytes += bytes;
      if (faults.dropAfterReadBytes !== undefined && readBytes > faults.dropAfterReadBytes)
        return client.end();
      sftp.data(reqId, buffer.subarray(0, bytes));
    });
    sftp.on('WRITE', (reqId, handle, offset, data) => {
      const entry = lookup(handle);
      if (!entry || entry.kind !== 'file') return sftp.status(reqId, FAILURE, 'bad handle');
      writtenBytes += data.length;
      if (faults.dropAfterWriteBytes !== undefined && writtenBytes > faults.dropAfterWriteBytes)
        return client.end();
      fs.writeSync(entry.fd, data, 0, data.length, offset);
      sftp.status(reqId, OK);
    });
    sftp.on('CLOSE', (reqId, handle) => {
      const entry = lookup(handle);
      if (!entry) return sftp.status(reqId, FAILURE, 'bad handle');
      if (entry.kind === 'file') fs.closeSync(entry.fd);
      handles.delete(handle.readUInt32BE(0));
      sftp.status(reqId, OK);
    });
    sftp.on('FSTAT', (reqId, handle) => {
      const entry = lookup(handle);
      if (!entry || entry.kind !== 'file') return sftp.status(reqId, FAILURE, 'bad handle');
      sftp.attrs(reqId, attributesOf(fs.fstatSync(entry.fd)));
    });
    const stat = (reqId: number, remotePath: string) => {
      try {
        sftp.attrs(reqId, attributesOf(fs.statSync(local(remotePath))));
      } catch (error) {
        fail(reqId, error);
      }
    };
    sftp.on('STAT', stat);
    sftp.on('LSTAT', stat);
    sftp.on('OPENDIR', (reqId, remotePath) => {
      try {
        if (!fs.statSync(local(remotePath)).isDirectory())
          return sftp.status(reqId, FAILURE, 'not a directory');
        sftp.handle(reqId, open({ kind: 'dir', remotePath, done: false }));
      } catch (error) {
        fail(reqId, error);
      }
    });
    sftp.on('READDIR', (reqId, handle) => {
      const entry = lookup(handle);
      if (!entry || entry.kind !== 'dir') return sftp.status(reqId, FAILURE, 'bad handle');
      if (entry.done) return sftp.status(reqId, EOF);
      entry.done = true;
      const directory = local(entry.remotePath);
      const names = fs.readdirSync(directory).map((filename) => {
        const stats = fs.statSync(path.join(directory, filename));
        return { filename, longname: longnameOf(filename, stats), attrs: attributesOf(stats) };
      });
      sftp.name(reqId, names);
    });
    sftp.on('REALPATH', (reqId, remotePath) => {
      const normalized = path.posix.normalize(`/${remotePath}`);
      sftp.name(reqId, [{ filename: normalized, longname: normalized, attrs: {} as never }]);
    });
    sftp.on('RENAME', (reqId, from, to) => {
      try {
        // SFTP v3 semantics, as OpenSSH: never replace an existing target.
        if (fs.existsSync(local(to))) return sftp.status(reqId, FAILURE, 'Failure');
        fs.renameSync(local(from), local(to));
        sftp.status(reqId, OK);
      } catch (error) {
        fail(reqId, error);
      }
    });
    sftp.on('REMOVE', (reqId, remotePath) => {
      try {
        fs.rmSync(local(remotePath));
        sftp.status(reqId, OK);
      } catch (error) {
        fail(reqId, error);
      }
    });
    sftp.on('MKDIR', (reqId, remotePath) => {
      try {
        fs.mkdirSync(local(remotePath));
        sftp.status(reqId, OK);
      } catch (error) {
        fail(reqId, error);
      }
    });
    const accept = (reqId: number) => sftp.status(reqId, OK);
    sftp.on('SETSTAT', accept);
    sftp.on('FSETSTAT', accept);
  };

  const createServer = () =>
    new Server({ hostKeys: [hostKey.private] }, (client) => {
      connections.add(client);
      client.on('close', () => connections.delete(client));
      client.on('error', () => connections.delete(client));
      client.on('authentication', (ctx) => {
        if (ctx.method === 'password' && ctx.username === user && ctx.password === password) ctx.accept();
        else ctx.reject(['password']);
      });
      client.on('ready', () => {
        client.on('session', (acceptSession) => {
          const session = acceptSession();
          session.on('sftp', (acceptSftp) => serve(acceptSftp(), client));
        });
      });
    });
  const listen = (server: Server, port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const close = async (server: Server) => {
    for (const connection of connections) connection.end();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  let server = createServer();
  await listen(server, 0);
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    user,
    password,
    root,
    fingerprint: () => fingerprintOf(hostKey.wire),
    async rotateHostKey() {
      // ssh2 parses host keys once per Server: serve the same port from a new one.
      await close(server);
      hostKey = newHostKey();
      server = createServer();
      await listen(server, port);
    },
    setFaults(plan) {
      faults = plan;
    },
    stop: () => close(server),
  };
}
