/**
 * SFTP transfer benchmark against a real OpenSSH sshd on loopback (started here, own config and
 * keys): a 200 MB download and upload through the transport's pipelined session (hashing while
 * streaming, writing to disk), and OpenSSH's own `sftp` client on the same file in the same run.
 * Prints MB/s both ways, the lower of the two ratios to OpenSSH, and peak RSS during our transfers.
 *
 *   npm run bench:sftp              (SIZE_MB=50 ROUNDS=1 npm run bench:sftp for a quick run)
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { SftpSession } from '@crossdock/connectors/sftp';
import { startSftpPeer, type SftpPeer } from '@crossdock/test-support/sftp-peer';

const run = promisify(execFile);
const SIZE_MB = Number(process.env.SIZE_MB ?? 200);
const SIZE = SIZE_MB * 1024 * 1024;
const MB = 1_000_000;
const ROUNDS = Number(process.env.ROUNDS ?? 2);

function writeTestFile(file: string): void {
  // Incompressible blocks, so nothing on the path can shortcut the transfer.
  const block = randomBytes(1024 * 1024);
  const fd = fs.openSync(file, 'w');
  for (let written = 0; written < SIZE; written += block.length)
    fs.writeSync(fd, block, 0, Math.min(block.length, SIZE - written));
  fs.closeSync(fd);
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Samples RSS while `work` runs; flat memory means the peak does not grow with the file. */
async function withPeakRss(work: () => Promise<number>): Promise<{ seconds: number; peakRss: number }> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  try {
    const seconds = await work();
    return { seconds, peakRss: Math.max(peakRss, process.memoryUsage().rss) };
  } finally {
    clearInterval(sampler);
  }
}

async function openSsh(peer: SftpPeer, batch: string[]): Promise<number> {
  const batchFile = path.join(peer.stateDir, 'bench.batch');
  fs.writeFileSync(batchFile, batch.join('\n') + '\n');
  return timed(() =>
    run('sftp', [
      '-q',
      '-b',
      batchFile,
      '-P',
      String(peer.port),
      '-i',
      peer.privateKeyPath,
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'LogLevel=ERROR',
      `${peer.user}@${peer.host}`,
    ]),
  );
}

async function main(): Promise<void> {
  const peer = await startSftpPeer();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossdock-sftp-bench-'));
  try {
    const source = peer.writeAsPartner('/inbound/bench.bin', '');
    writeTestFile(source);
    const upSource = path.join(workDir, 'up.bin');
    fs.copyFileSync(source, upSource);

    const session = await SftpSession.open({
      host: peer.host,
      port: peer.port,
      username: peer.user,
      privateKey: peer.privateKey,
      hostKeyFingerprints: [peer.hostKeyFingerprint],
    });
    const baselineRss = process.memoryUsage().rss;
    // Interleaved and best of ROUNDS: on a shared machine the load moves between runs, and
    // alternating gives both clients the same conditions.
    let opensshDown = Infinity;
    let opensshUp = Infinity;
    const down = { seconds: Infinity, peakRss: 0, cpuSeconds: 0 };
    const up = { seconds: Infinity, peakRss: 0, cpuSeconds: 0 };
    const downTarget = path.join(workDir, 'down.bin');
    try {
      for (let round = 0; round < ROUNDS; round += 1) {
        opensshDown = Math.min(
          opensshDown,
          await openSsh(peer, [`get /inbound/bench.bin ${path.join(workDir, 'openssh-down.bin')}`]),
        );
        fs.rmSync(path.join(workDir, 'openssh-down.bin'));
        fs.rmSync(downTarget, { force: true });
        const cpuDown = process.cpuUsage();
        const ours = await withPeakRss(() =>
          timed(() => session.download('/inbound/bench.bin', downTarget, SIZE)),
        );
        const cpuDownUsed = process.cpuUsage(cpuDown);
        if (ours.seconds < down.seconds)
          Object.assign(down, ours, { cpuSeconds: (cpuDownUsed.user + cpuDownUsed.system) / 1e6 });
        down.peakRss = Math.max(down.peakRss, ours.peakRss);

        opensshUp = Math.min(opensshUp, await openSsh(peer, [`put ${upSource} /outbound/openssh-up.bin`]));
        const cpuUp = process.cpuUsage();
        const oursUp = await withPeakRss(() => timed(() => session.upload(upSource, '/outbound/up.bin')));
        const cpuUpUsed = process.cpuUsage(cpuUp);
        if (oursUp.seconds < up.seconds)
          Object.assign(up, oursUp, { cpuSeconds: (cpuUpUsed.user + cpuUpUsed.system) / 1e6 });
        up.peakRss = Math.max(up.peakRss, oursUp.peakRss);
      }
    } finally {
      await session.close();
    }
    if (fs.statSync(downTarget).size !== SIZE || fs.statSync(peer.local('/outbound/up.bin')).size !== SIZE) {
      throw new Error('transferred sizes differ from the source');
    }

    const rate = (seconds: number) => SIZE / MB / seconds;
    const downRatio = rate(down.seconds) / rate(opensshDown);
    const upRatio = rate(up.seconds) / rate(opensshUp);
    console.log(`sftp_file_mb: ${(SIZE / MB).toFixed(1)}`);
    console.log(`sftp_download_mb_s: ${rate(down.seconds).toFixed(1)}`);
    console.log(`sftp_upload_mb_s: ${rate(up.seconds).toFixed(1)}`);
    console.log(`openssh_download_mb_s: ${rate(opensshDown).toFixed(1)}`);
    console.log(`openssh_upload_mb_s: ${rate(opensshUp).toFixed(1)}`);
    console.log(`sftp_download_vs_openssh: ${downRatio.toFixed(2)}`);
    console.log(`sftp_upload_vs_openssh: ${upRatio.toFixed(2)}`);
    console.log(`sftp_vs_openssh_ratio: ${Math.min(downRatio, upRatio).toFixed(2)}`);
    console.log(`sftp_peak_rss_mb: ${(Math.max(down.peakRss, up.peakRss) / 1024 / 1024).toFixed(1)}`);
    console.log(`sftp_rss_before_transfers_mb: ${(baselineRss / 1024 / 1024).toFixed(1)}`);
    console.log(`sftp_download_cpu_s_per_gb: ${(down.cpuSeconds / (SIZE / 1e9)).toFixed(2)}`);
    console.log(`sftp_upload_cpu_s_per_gb: ${(up.cpuSeconds / (SIZE / 1e9)).toFixed(2)}`);
    console.log(`load_average_1m: ${os.loadavg()[0].toFixed(1)}`);
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
    await peer.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
