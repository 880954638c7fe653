import { execFileSync } from 'node:child_process';
import { cpus, hostname, totalmem } from 'node:os';

export interface MachineInfo {
  machine: string;
  cpu: string;
  gpu: string | null;
}

export function machineInfo(name?: string): MachineInfo {
  let gpu: string | null = null;
  try {
    gpu = execFileSync(
      'nvidia-smi',
      ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader'],
      {
        encoding: 'utf8',
        timeout: 10_000,
      },
    )
      .trim()
      .split('\n')[0]!
      .replace(/, /g, ' · driver ');
    gpu = gpu.replace(/ · driver (\d+ MiB)$/, ' · $1');
  } catch {
    gpu = null;
  }
  const cpu = `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length} threads, ${Math.round(totalmem() / 2 ** 30)} GiB`;
  const short = gpu
    ? (/H100|H200|A100|RTX \d+/.exec(gpu)?.[0] ?? 'gpu').toLowerCase().replace(/ /g, '')
    : `cpu${cpus().length}`;
  return { machine: name ?? `${short}-${hostname().slice(0, 12)}`, cpu, gpu };
}
