// transpile-all.mjs NODE_MODULES OUT_DIR NAME=COMPONENT...: `jco transpile`
// of every COMPONENT into OUT_DIR/NAME/ in one node process (jco's
// transpile API, loaded once), for the differential of tests/wasi2/native.py.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

const [nodeModules, out, ...specs] = process.argv.slice(2);
const jco = await import(pathToFileURL(
	`${nodeModules}/@bytecodealliance/jco-transpile/dist/index.js`));
let failed = 0;
for (const spec of specs) {
	const at = spec.indexOf("=");
	const name = spec.slice(0, at);
	try {
		const { files } = await jco.transpile(spec.slice(at + 1), { name, quiet: true });
		for (const [file, bytes] of Object.entries(files)) {
			const path = join(out, name, file);
			await mkdir(dirname(path), { recursive: true });
			await writeFile(path, bytes);
		}
	} catch (e) {
		console.error(`${name}: ${e}`);
		failed++;
	}
}
process.exit(failed ? 1 : 0);
