// The binding fuzzer's process (fuzz.test.ts spawns it, so a native crash fails a test
// instead of killing vitest). Each case starts from one spec's valid call, applies
// several mutations at once (fuzz-mutate.ts), calls the export, and repairs the call
// after length errors to reach deeper checks. Every call must succeed or throw an
// Error whose message starts with the op's name and whose code is ERR_AXONAL_*; a
// successful call must not write outside its arguments, a rejected one must change
// nothing, and no call may write into a buffer detached under it.
//   node --import ./test/helpers/ts-register.mjs test/bad-input/fuzz-child.ts
//        [--seed 1] [--iters 2000] [--case i | --sweep i] [--op name] [--progress file] [--slow seconds] [--verbose]
// Before each call the case and the call go to the progress file (overwritten), so the
// last call before a crash is known. Output: FAIL blocks, then one SUMMARY line (JSON).
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';

import { AxonalError } from '../../src/errors.js';
import { native } from '../../src/native.js';
import { type Slot, makeRand, materialize, planOf, resetGroups } from './fuzz-plan.js';
import { type Traits, degenerate, mutate, repair } from './fuzz-mutate.js';
import { LONG_WORK, specs } from './specs.js';

type Fn = (...args: unknown[]) => unknown;
const binding = native as unknown as Record<string, Fn>;

function option(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const seed = Number(option('seed', '1'));
const iters = Number(option('iters', '2000'));
const only = option('case');
const sweepOnly = option('sweep');
const opFilter = option('op');
// A call slower than this fails (a degenerate-size call, which has next to nothing to
// compute, a fifth of it): nothing legitimate in the default run comes near.
const slowMs = 1000 * Number(option('slow', '5'));
const progressPath = option('progress');
const verbose = process.argv.includes('--verbose');
const MAX_REPAIRS = 10;

const names = Object.keys(specs).filter((n) => !opFilter || n === opFilter);
if (names.length === 0) throw new Error(`no spec named ${opFilter}`);

// Argument names by position, from the binding's own messages: an argument replaced by a
// symbol is reported as "<op>: <name> must be ...". And whether a trailing {} is accepted.
const argNames = new Map<string, Map<string, number>>();
const traits = new Map<string, Traits>();
for (const name of names) {
  const spec = specs[name]!;
  const map = new Map<string, number>();
  let trailingObject = name !== 'setErrorClass';
  try {
    binding[name]!(...spec.valid(), {});
  } catch {
    trailingObject = false;
  }
  traits.set(name, { trailingObject });
  spec.valid().forEach((_, i) => {
    const args = spec.valid();
    args[i] = Symbol('probe');
    try {
      binding[name]!(...args);
    } catch (err) {
      const m = new RegExp(`^${spec.op.replace('.', '\\.')}: (\\S+) `).exec((err as Error).message);
      if (m) map.set(m[1]!, i);
    }
  });
  argNames.set(name, map);
}

const progressFd = progressPath ? openSync(progressPath, 'w') : undefined;
function progress(line: string) {
  if (progressFd === undefined) return;
  const bytes = Buffer.from(line);
  writeSync(progressFd, bytes, 0, bytes.length, 0);
  ftruncateSync(progressFd, bytes.length);
}

/** Why a thrown value breaks the contract, or undefined if it keeps it. */
function badThrow(err: unknown, op: string): string | undefined {
  if (!(err instanceof Error)) return `threw a non-Error: ${String(err)}`;
  const known = err instanceof TypeError || err instanceof RangeError || err instanceof AxonalError || err.constructor === Error;
  if (!known) return `threw a ${err.constructor.name}: ${err.message}`;
  if (!err.message.startsWith(`${op}: `)) return `threw "${err.message}", which does not start with "${op}: "`;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('ERR_AXONAL_')) return `threw "${err.message}" with code ${String(code)}`;
  return undefined;
}

const isas = native.info().isaAvailable;
const startThreads = native.getNumThreads();
const stats = { seed, cases: 0, sweeps: 0, calls: 0, ok: 0, argErrors: 0, nativeErrors: 0, failures: 0, slowest: { ms: 0, call: '' }, noSuccess: [] as string[] };
const okByOp = new Map<string, number>(names.map((n) => [n, 0]));

// A case's own seed, so any case replays alone (--case).
const caseSeed = (i: number) => (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(i + 1, 0xc2b2ae35)) >>> 0;

/**
 * One case: calls the export with the plan, checks the outcome, and after a length error
 * repairs the plan and calls again. `id` names the case in reports, `replay` the options
 * that run it alone.
 */
function runCase(id: string, replay: string, name: string, labels: string[], slots: Slot[], repeat: boolean, slow: number) {
  const spec = specs[name]!;
  for (let attempt = 0; attempt <= MAX_REPAIRS; attempt++) {
    const call = materialize(slots);
    const where = `${id} [${labels.join(' ')}] attempt ${attempt}: ${name}(${call.text})`;
    let thrown: unknown;
    let threw = false;
    let failed = false;
    for (let round = 0; round < (repeat ? 2 : 1) && !threw && !failed; round++) {
      if (round > 0) call.rearm();
      progress(`seed ${seed} ${where}${round ? ' (again)' : ''}\n`);
      const t0 = performance.now();
      try {
        binding[name]!(...call.args);
      } catch (err) {
        thrown = err;
        threw = true;
      }
      const ms = performance.now() - t0;
      stats.calls++;
      if (ms > stats.slowest.ms) stats.slowest = { ms: Math.round(ms), call: where };
      if (name === 'setErrorClass') native.setErrorClass(AxonalError);
      if (verbose) console.log(`${where}\n  -> ${threw ? String((thrown as Error)?.message ?? thrown) : 'ok'}`);
      const problems = call.check(threw && (thrown instanceof TypeError || thrown instanceof RangeError));
      const bad = threw ? badThrow(thrown, spec.op) : undefined;
      if (bad) problems.unshift(bad);
      const long = !threw && spec.work !== undefined && spec.work(call.args) > LONG_WORK;
      if (ms > slow && !long) problems.push(`took ${Math.round(ms)} ms (more than ${slow} ms)`);
      if (problems.length > 0) {
        failed = true;
        stats.failures++;
        console.log(`FAIL seed ${seed} ${where}`);
        for (const p of problems) console.log(`  ${p}`);
        console.log(`  replay: node --import ./test/helpers/ts-register.mjs test/bad-input/fuzz-child.ts ${replay}`);
      }
    }
    if (!threw) {
      stats.ok++;
      okByOp.set(name, okByOp.get(name)! + 1);
      return;
    }
    if (thrown instanceof AxonalError) stats.nativeErrors++;
    else stats.argErrors++;
    if (!(thrown instanceof Error) || !repair(slots, thrown.message, argNames.get(name)!)) return;
  }
}

// Random cases: a spec in turn, one to four mutations, ISA and thread count at random.
const first = only !== undefined ? Number(only) : 0;
const last = only !== undefined ? Number(only) + 1 : sweepOnly !== undefined ? 0 : iters;
for (let i = first; i < last && stats.failures < 20; i++) {
  const name = names[i % names.length]!;
  const rand = makeRand(caseSeed(i));
  resetGroups();
  const isa = rand.pick(isas);
  const threads = 1 + rand.int(3);
  native.setIsa(isa);
  native.setNumThreads(threads);
  const slots = planOf(specs[name]!.valid());
  const labels = mutate(slots, specs[name]!, rand, traits.get(name)!);
  const repeat = rand.chance(0.3);
  stats.cases++;
  runCase(`case ${i} (${isa}, ${threads} threads)`, `--seed ${seed} --case ${i}`, name, labels, slots, repeat, slowMs);
}

// Then every degenerate combination of sizes (fuzz-mutate.ts), on the best ISA.
native.setIsa(isas[isas.length - 1]!);
native.setNumThreads(startThreads);
let sweep = 0;
for (const name of only === undefined ? names : []) {
  for (const [label, slots] of degenerate(specs[name]!)) {
    if (stats.failures >= 20) break;
    if (sweepOnly === undefined || sweep === Number(sweepOnly)) {
      resetGroups();
      stats.sweeps++;
      runCase(`sweep ${sweep}`, `--sweep ${sweep}${opFilter ? ` --op ${opFilter}` : ''}`, name, [label], slots, false, slowMs / 5);
    }
    sweep++;
  }
}
native.setNumThreads(startThreads);
native.setIsa(isas[isas.length - 1]!);
if (progressFd !== undefined) closeSync(progressFd);
stats.noSuccess = [...okByOp].filter(([, n]) => n === 0).map(([n]) => n);
console.log(`SUMMARY ${JSON.stringify(stats)}`);
process.exitCode = stats.failures > 0 ? 1 : 0;
