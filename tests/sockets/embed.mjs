// embed.mjs JCO_DIR CORE.wasm WIT_DIR WORLD OUT.wasm: jco's componentEmbed
// (the JS API of @bytecodealliance/jco-transpile) then componentNew, with
// the host's root preopened for jco's wasm-tools (the CLI `jco embed` of
// the pinned version gives it no directory, so it cannot read the WIT).
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [jcoDir, core, wit, world, out] = process.argv.slice(2);
const req = createRequire(resolve(jcoDir, "node_modules/@bytecodealliance/jco-transpile/package.json"));
const fsUrl = pathToFileURL(req.resolve("@bytecodealliance/preview2-shim/filesystem")).href;
const { _setPreopens } = await import(fsUrl);
_setPreopens({ "/": "/" });
const wt = await import(pathToFileURL(req.resolve("@bytecodealliance/jco-transpile/wasm-tools")).href);
const embedded = await wt.componentEmbed({ binary: await readFile(core), witPath: resolve(wit),
                                           worldName: world });
await writeFile(out, await wt.componentNew(embedded, []));
