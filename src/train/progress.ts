/**
 * Progress output for fit: a live bar per epoch on a terminal (cli-progress), one
 * line per epoch elsewhere (CI logs, files), nothing at verbose 0.
 */
import cliProgress from 'cli-progress';

import type { Logs } from './callbacks/index.js';

function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .filter(([k]) => k !== 'lr')
    .map(([k, v]) => `${k} ${Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4)}`)
    .join(' - ');
}

export interface ProgressReporter {
  epochBegin(epoch: number, epochs: number, steps: number): void;
  batchEnd(step: number, logs: Logs, samplesPerSecond: number): void;
  epochEnd(epoch: number, epochs: number, logs: Logs, seconds: number, samplesPerSecond: number): void;
  stop(): void;
}

class Silent implements ProgressReporter {
  epochBegin(): void {}
  batchEnd(): void {}
  epochEnd(): void {}
  stop(): void {}
}

class Lines implements ProgressReporter {
  constructor(private readonly out: NodeJS.WritableStream) {}
  epochBegin(): void {}
  batchEnd(): void {}
  epochEnd(epoch: number, epochs: number, logs: Logs, seconds: number, sps: number): void {
    this.out.write(`Epoch ${epoch + 1}/${epochs} - ${seconds.toFixed(1)}s - ${Math.round(sps)} samples/s - ${formatLogs(logs)}\n`);
  }
  stop(): void {}
}

class Bar implements ProgressReporter {
  #bar: cliProgress.SingleBar | null = null;
  constructor(private readonly out: NodeJS.WritableStream) {}
  epochBegin(epoch: number, epochs: number, steps: number): void {
    this.#bar = new cliProgress.SingleBar(
      {
        format: `Epoch ${epoch + 1}/${epochs} {bar} {value}/{total} | {metrics} | {sps} samples/s | ETA {eta_formatted}`,
        stream: this.out as NodeJS.WriteStream,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
        fps: 10,
      },
      cliProgress.Presets.shades_classic,
    );
    this.#bar.start(steps, 0, { metrics: '', sps: 0 });
  }
  batchEnd(step: number, logs: Logs, sps: number): void {
    this.#bar?.update(step, { metrics: formatLogs(logs), sps: Math.round(sps) });
  }
  epochEnd(_epoch: number, _epochs: number, logs: Logs, _seconds: number, sps: number): void {
    this.#bar?.update({ metrics: formatLogs(logs), sps: Math.round(sps) });
    this.#bar?.stop();
    this.#bar = null;
  }
  stop(): void {
    this.#bar?.stop();
    this.#bar = null;
  }
}

/** verbose 0: silent; 1: a bar on a TTY, else lines; 2: lines. */
export function makeReporter(verbose: number, out: NodeJS.WritableStream = process.stdout): ProgressReporter {
  if (verbose === 0) return new Silent();
  if (verbose === 1 && (out as NodeJS.WriteStream).isTTY) return new Bar(out);
  return new Lines(out);
}
