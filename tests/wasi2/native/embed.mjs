// embed.mjs NODE_MODULES CORE.wasm WIT_FILE WORLD OUT.wasm: jco's
// componentEmbed (wasm-tools component embed) with the WIT given as text,
// then componentNew: the component of a core module written against WORLD.
// (`jco embed --world-name` does not pass the world on in jco 1.35.0.)
import { readFile, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";

const [nodeModules, core, witFile, world, out] = process.argv.slice(2);
const tools = await import(pathToFileURL(
	`${nodeModules}/@bytecodealliance/jco-transpile/dist/wasm-tools.js`));
const embedded = await tools.componentEmbed({
	binary: await readFile(core),
	witSource: await readFile(witFile, "utf8"),
	world,
});
await writeFile(out, await tools.componentNew(embedded));
