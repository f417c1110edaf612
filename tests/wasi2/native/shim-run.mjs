// shim-run.mjs NODE_MODULES COMPONENT_JS PREOPENS_JSON ENV_JSON ARG...:
// runs a component transpiled by `jco transpile` on node with
// @bytecodealliance/preview2-shim, the reference of tests/wasi2/native.py:
// the preopens ({guest: host}), the environment ({name: value}) and the
// arguments (ARG... , the first the program name) are set as wrun's
// --dir, --env and command line set them; wasi:cli/run's result is the exit
// status (0 ok, 1 err), as wrun has it.
import { pathToFileURL } from "node:url";

const [nodeModules, componentJs, preopens, env, ...args] = process.argv.slice(2);
const shim = (name) => import(pathToFileURL(
	`${nodeModules}/@bytecodealliance/preview2-shim/dist/nodejs/${name}.js`));
const cli = await shim("cli");
const fs = await shim("filesystem");
cli._setArgs(args);
cli._setEnv(JSON.parse(env));
fs._setPreopens(JSON.parse(preopens));
const mod = await import(pathToFileURL(componentJs));
let code = 0;
try {
	mod.run.run();
} catch (e) {
	console.error(e);
	code = 1;
}
// let the shim's stdout writes finish before exiting
await new Promise((resolve) => setTimeout(resolve));
process.exit(code);
