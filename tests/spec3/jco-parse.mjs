// jco-parse.mjs API_JS: encode text modules with the wasm-tools text parser
// bundled in @bytecodealliance/jco, the parser `jco parse` runs, without
// starting node once per module. API_JS is jco's dist/api.js. Reads one JSON
// string (a module's text) per line on stdin; writes one JSON line per
// request: {"wasm": BASE64} or {"error": MESSAGE}, in order.
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const { parse } = await import(pathToFileURL(process.argv[2]).href);
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
	let reply;
	try {
		const bytes = await parse(JSON.parse(line));
		reply = { wasm: Buffer.from(bytes).toString("base64") };
	} catch (e) {
		reply = { error: String((e && e.message) || e) };
	}
	process.stdout.write(JSON.stringify(reply) + "\n");
}
