#!/usr/bin/env node
// Builds native/ with CMake and runs the native tests.
//   node scripts/native-tests.mjs                  release build, once per ISA level this machine has
//   node scripts/native-tests.mjs --sanitize       AddressSanitizer + UBSan build, every ISA in one run
//   node scripts/native-tests.mjs --tsan           ThreadSanitizer build, every ISA in one run (slow:
//                                                  ~11 min for `-- sgemm` on 2 cores; not run by CI)
//   node scripts/native-tests.mjs --aarch64        arm64 cross build; runs under qemu-aarch64 when present
//   node scripts/native-tests.mjs --isa avx2       one ISA level only
//   extra arguments after -- go to the test binary (a name filter)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const opts = dash >= 0 ? argv.slice(0, dash) : argv;
const passThrough = dash >= 0 ? argv.slice(dash + 1) : [];
const sanitize = opts.includes('--sanitize');
const tsan = opts.includes('--tsan');
const aarch64 = opts.includes('--aarch64');
const isaIndex = opts.indexOf('--isa');
const onlyIsa = isaIndex >= 0 ? opts[isaIndex + 1] : undefined;

function run(cmd, args, env = process.env) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function must(cmd, args, env) {
  const status = run(cmd, args, env);
  if (status !== 0) process.exit(status);
}

const variant = aarch64 ? 'aarch64' : sanitize ? 'sanitize' : tsan ? 'tsan' : 'release';
const buildDir = join('build-native', variant);
const configure = ['-S', 'native', '-B', buildDir, `-DCMAKE_BUILD_TYPE=${sanitize || tsan ? 'RelWithDebInfo' : 'Release'}`];
if (sanitize) configure.push('-DAXONAL_SANITIZE=ON', '-DAXONAL_BUILD_BENCH=OFF');
if (tsan) configure.push('-DAXONAL_TSAN=ON', '-DAXONAL_BUILD_BENCH=OFF');
if (aarch64) configure.push(`-DCMAKE_TOOLCHAIN_FILE=${join(root, 'native/cmake/aarch64-linux-gnu.cmake')}`, '-DAXONAL_BUILD_BENCH=OFF');
must('cmake', configure);
must('cmake', ['--build', buildDir, '-j', String(Math.max(1, cpus().length)), '--target', 'axonal_native_tests']);

const binary = join(root, buildDir, 'axonal_native_tests');
if (aarch64) {
  if (spawnSync('qemu-aarch64', ['--version']).status !== 0) {
    console.log('qemu-aarch64 not found: the arm64 build compiled, its tests were not run');
    process.exit(0);
  }
  must('qemu-aarch64', ['-L', '/usr/aarch64-linux-gnu', binary, ...passThrough]);
  process.exit(0);
}

if (sanitize) {
  const env = { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=1', UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1' };
  must(binary, passThrough, env);
  process.exit(0);
}
if (tsan) {
  must(binary, passThrough, { ...process.env, TSAN_OPTIONS: 'halt_on_error=1' });
  process.exit(0);
}

// Once per ISA level: the binary lists what this machine supports.
const probe = spawnSync(binary, ['--list-isas'], { cwd: root, encoding: 'utf8' });
const isas = onlyIsa ? [onlyIsa] : probe.stdout.trim().split(/\s+/).filter(Boolean);
if (!existsSync(binary) || isas.length === 0) {
  console.error('could not list the ISA levels of this machine');
  process.exit(1);
}
for (const isa of isas) {
  console.log(`\n== native tests, AXONAL_ISA=${isa} ==`);
  must(binary, passThrough, { ...process.env, AXONAL_ISA: isa });
}
