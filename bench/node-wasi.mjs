// node-wasi.mjs: run a WASI preview1 command under node's own node:wasi, as
// a peer runtime for the benchmark.
//
//   node --no-warnings bench/node-wasi.mjs [--dir DIR]... MODULE.wasm [ARGS...]
//
// Each --dir DIR is preopened under the same name, relative to the current
// directory (the form `wasmtime run --dir DIR` takes). Standard streams are
// the process's own; the guest's exit code becomes node's.
import { readFile } from 'node:fs/promises';
import { argv, env, exit } from 'node:process';
import { WASI } from 'node:wasi';

const args = argv.slice(2);
const preopens = {};
while (args.length && args[0] === '--dir') {
  args.shift();
  const dir = args.shift();
  if (dir === undefined) {
    console.error('node-wasi: --dir needs a directory');
    exit(2);
  }
  preopens[dir] = dir;
}
if (!args.length) {
  console.error('usage: node-wasi.mjs [--dir DIR]... MODULE.wasm [ARGS...]');
  exit(2);
}

const wasi = new WASI({ version: 'preview1', args, env: {}, preopens, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(args[0]));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
exit(wasi.start(instance));
