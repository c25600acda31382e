/**
 * A real OpenSSH sshd (Debian's openssh-server, `internal-sftp`) on a random loopback port, with
 * its own sshd_config, host key, client key and a chrooted user, for the SFTP integration tier
 * and the SFTP benchmark. The system sshd, /etc/ssh and port 22 are never touched.
 *
 * The jail lives under /run: sshd refuses to chroot unless every component of the path is
 * root-owned and not group/other-writable, which rules out /tmp. Tests play the partner side by
 * writing into `peer.local(remotePath)` directly.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { fingerprintOfPublicKeyLine } from '@crossdock/connectors/sftp';

const run = promisify(execFile);

const SSHD = '/usr/sbin/sshd';
const SSH_KEYGEN = '/usr/bin/ssh-keygen';
const APT_HINT = 'apt-get update && apt-get install -y --no-install-recommends openssh-server';

export interface SftpPeerOptions {
  /** System user created if missing; only this user may log in, only to SFTP. */
  user?: string;
  password?: string;
  /** Install openssh-server when sshd is missing (we run as root); default true. */
  install?: boolean;
}

export interface SftpPeer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** OpenSSH-format private key of the client (ed25519, no passphrase). */
  privateKey: string;
  privateKeyPath: string;
  /** `SHA256:…` of the peer's host key, as a connection pins it. */
  hostKeyFingerprint: string;
  /** Chroot directory; the client sees it as `/`. */
  jail: string;
  stateDir: string;
  logFile: string;
  pid: number;
  /** Local path of a remote (in-jail) path, e.g. `/inbound/a.edi`. */
  local(remotePath: string): string;
  /** Writes a file as the partner would: parents created and owned by the SFTP user. */
  writeAsPartner(remotePath: string, content: string | Buffer, mtime?: Date): string;
  /** Gives a directory made by root inside the jail to the SFTP user. */
  giveToUser(localPath: string): void;
  stop(): Promise<void>;
}

async function ensureSshd(install: boolean): Promise<void> {
  if (fs.existsSync(SSHD)) return;
  if (!install) throw new Error(`${SSHD} is missing: ${APT_HINT}`);
  if (process.getuid?.() !== 0)
    throw new Error(`${SSHD} is missing and installing it needs root: ${APT_HINT}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await run('apt-get', ['install', '-y', '--no-install-recommends', 'openssh-server'], {
      env,
      timeout: 300_000,
    });
  } catch {
    try {
      await run('apt-get', ['update'], { env, timeout: 300_000 });
      await run('apt-get', ['install', '-y', '--no-install-recommends', 'openssh-server'], {
        env,
        timeout: 300_000,
      });
    } catch (error) {
      throw new Error(`could not install openssh-server (${String(error)}); run: ${APT_HINT}`, {
        cause: error,
      });
    }
  }
  if (!fs.existsSync(SSHD)) throw new Error(`openssh-server installed but ${SSHD} is still missing`);
}

async function ensureUser(user: string, password: string): Promise<{ uid: number; gid: number }> {
  try {
    await run('id', ['-u', user]);
  } catch {
    try {
      await run('useradd', [
        '--system',
        '--no-create-home',
        '--home-dir',
        '/',
        '--shell',
        '/usr/sbin/nologin',
        user,
      ]);
    } catch (error) {
      // Another test file may have created it a moment ago (jest runs files in parallel).
      await run('id', ['-u', user]).catch(() => {
        throw new Error(`could not create the SFTP test user ${user}: ${String(error)}`, { cause: error });
      });
    }
  }
  const setPassword = () =>
    new Promise<void>((resolve, reject) => {
      const child = spawn('chpasswd', [], { stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`chpasswd failed: ${stderr}`))));
      child.stdin.end(`${user}:${password}\n`);
    });
  // /etc/shadow is locked while another test file sets the same password: try again shortly.
  for (let attempt = 1; ; attempt += 1) {
    try {
      await setPassword();
      break;
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
  const uid = Number((await run('id', ['-u', user])).stdout.trim());
  const gid = Number((await run('id', ['-g', user])).stdout.trim());
  return { uid, gid };
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function assertChrootable(jail: string): void {
  for (let dir = jail; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const stats = fs.statSync(dir);
    if (stats.uid !== 0 || (stats.mode & 0o022) !== 0) {
      throw new Error(
        `chroot path component ${dir} is not root-owned or is group/other-writable; sshd would refuse the jail`,
      );
    }
  }
}

/** Resolves once the port answers with an SSH banner; rejects naming the log when sshd died. */
async function waitForBanner(
  port: number,
  child: ChildProcess,
  logFile: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : '';
      throw new Error(`sshd exited with code ${child.exitCode}: ${log}`);
    }
    const banner = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(1000, () => done(false));
      socket.once('error', () => done(false));
      socket.once('data', (data) => done(data.toString('latin1').startsWith('SSH-')));
    });
    if (banner) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sshd did not answer on 127.0.0.1:${port} within ${timeoutMs} ms (log: ${logFile})`);
}

/** PIDs whose parent is `pid` (per-connection sshd children outlive the listener otherwise). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

export async function startSftpPeer(options: SftpPeerOptions = {}): Promise<SftpPeer> {
  if (process.getuid?.() !== 0)
    throw new Error('the SFTP peer needs root (sshd chroots and checks passwords)');
  const user = options.user ?? 'crossdock-sftp';
  const password = options.password ?? 'crossdock-sftp-pw';
  await ensureSshd(options.install ?? true);
  const { uid, gid } = await ensureUser(user, password);
  const port = await freeLoopbackPort();

  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `crossdock-sftp-${port}-`));
  fs.chmodSync(stateDir, 0o711);
  const authorizedDir = path.join(stateDir, 'authorized_keys');
  fs.mkdirSync(authorizedDir, { mode: 0o755 });
  const hostKey = path.join(stateDir, 'ssh_host_ed25519_key');
  const clientKey = path.join(stateDir, 'client_ed25519');
  await run(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', 'crossdock-sftp-host', '-f', hostKey]);
  await run(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', `${user}@crossdock-sftp`, '-f', clientKey]);
  fs.copyFileSync(`${clientKey}.pub`, path.join(authorizedDir, user));
  fs.chmodSync(path.join(authorizedDir, user), 0o644);

  const jail = `/run/crossdock-sftp-${port}`;
  fs.mkdirSync(jail, { recursive: true, mode: 0o755 });
  fs.chownSync(jail, 0, 0);
  fs.chmodSync(jail, 0o755);
  assertChrootable(jail);
  for (const dir of ['inbound', 'outbound', 'readonly']) {
    const local = path.join(jail, dir);
    fs.mkdirSync(local, { recursive: true, mode: 0o755 });
    if (dir === 'readonly') fs.chownSync(local, 0, 0);
    else fs.chownSync(local, uid, gid);
  }
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const configFile = path.join(stateDir, 'sshd_config');
  const logFile = path.join(stateDir, 'sshd.log');
  fs.writeFileSync(
    configFile,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${path.join(stateDir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorizedDir}/%u`,
      // The state directory sits under a world-writable /tmp.
      'StrictModes no',
      'UsePAM no',
      'PermitRootLogin no',
      `AllowUsers ${user}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PermitEmptyPasswords no',
      'AllowTcpForwarding no',
      'AllowAgentForwarding no',
      'X11Forwarding no',
      'PermitTTY no',
      'UseDNS no',
      'MaxStartups 50:30:100',
      'MaxSessions 20',
      'LogLevel VERBOSE',
      'Subsystem sftp internal-sftp',
      `Match User ${user}`,
      `    ChrootDirectory ${jail}`,
      '    ForceCommand internal-sftp -d /inbound',
      '',
    ].join('\n'),
  );
  await run(SSHD, ['-t', '-f', configFile]);
  const child = spawn(SSHD, ['-D', '-f', configFile, '-E', logFile], { stdio: 'ignore' });
  try {
    await waitForBanner(port, child, logFile);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  const giveToUser = (localPath: string) => fs.chownSync(localPath, uid, gid);
  const local = (remotePath: string) => {
    const resolved = path.resolve(jail, `.${path.posix.normalize(`/${remotePath}`)}`);
    if (!resolved.startsWith(`${jail}/`) && resolved !== jail)
      throw new Error(`${remotePath} leaves the jail`);
    return resolved;
  };
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    privateKey: fs.readFileSync(clientKey, 'utf8'),
    privateKeyPath: clientKey,
    hostKeyFingerprint: fingerprintOfPublicKeyLine(fs.readFileSync(`${hostKey}.pub`, 'utf8')),
    jail,
    stateDir,
    logFile,
    pid: child.pid as number,
    local,
    giveToUser,
    writeAsPartner(remotePath, content, mtime) {
      const target = local(remotePath);
      const inbound = local(remotePath.split('/').slice(0, 2).join('/'));
      for (
        let dir = path.dirname(target);
        dir.startsWith(inbound) && dir !== inbound;
        dir = path.dirname(dir)
      ) {
        fs.mkdirSync(dir, { recursive: true });
        giveToUser(dir);
      }
      fs.writeFileSync(target, content);
      giveToUser(target);
      if (mtime) fs.utimesSync(target, mtime, mtime);
      return target;
    },
    async stop() {
      const pid = child.pid as number;
      const connections = childrenOf(pid);
      child.kill('SIGTERM');
      for (const connection of connections) {
        try {
          process.kill(connection, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      fs.rmSync(jail, { recursive: true, force: true });
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
