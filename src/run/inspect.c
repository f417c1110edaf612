/*
 * inspect.c: `wrun inspect`, what a module or component asks for, before
 * anything runs (inspect.h; the JSON schema is in wrun(1)).
 *
 * A core module: its wasi_snapshot_preview1 imports grouped by capability,
 * its other imports, its memories and its exports.  A component: each
 * import and export with its interface and version, the functions and
 * resources of the instance types, whether the preview1 adapter is inside,
 * and the preview1 imports of its core modules.
 *
 * Every name comes from the file and is untrusted: text output shows a
 * byte outside printable ASCII (and a backslash) as \xHH, JSON as \u00HH
 * (one per byte).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inspect.h"
#include "wasi/wasi.h"
#include "wrun.h"

#define INSP_P1 "wasi_snapshot_preview1"

enum insp_group { G_FILES, G_CLOCKS, G_RANDOM, G_SOCKETS, G_PROCESS, G_OTHER, G__COUNT };

static const char *const insp_group_name[G__COUNT] = {
	"files", "clocks", "random", "sockets", "process", "other"
};

static const char *const insp_kind_name[] = { "func", "table", "memory", "global", "tag" };

/* One preview1 import: its name and capability group. */
struct insp_name {
	const char *s;
	size_t n;
	enum insp_group group;
};

/* ---- output ---- */

static void ib_put(struct inspect_buf *b, const char *s, size_t n)
{
	if (b->oom || n == 0)
		return;
	if (n > b->cap - b->len) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (cap - b->len < n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void ib_str(struct inspect_buf *b, const char *s)
{
	ib_put(b, s, strlen(s));
}

/* Our own text with numbers; never a name from the file. */
static void __attribute__((format(printf, 2, 3))) ib_printf(struct inspect_buf *b,
							    const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		ib_put(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* A name from the file: a JSON string, or text with odd bytes escaped. */
static void ib_name(struct inspect_buf *b, bool json, const char *s, size_t n)
{
	char esc[8];

	if (json)
		ib_put(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\' && !(json && c == '"')) {
			ib_put(b, s + i, 1);
			continue;
		}
		if (json && (c == '"' || c == '\\'))
			snprintf(esc, sizeof(esc), "\\%c", c);
		else
			snprintf(esc, sizeof(esc), json ? "\\u%04x" : "\\x%02x", c);
		ib_str(b, esc);
	}
	if (json)
		ib_put(b, "\"", 1);
}

/* Item `first` or a later one of a list: text a, b; JSON "a","b". */
static void ib_item(struct inspect_buf *b, bool json, bool first, const char *s, size_t n)
{
	if (!first)
		ib_str(b, json ? "," : ", ");
	ib_name(b, json, s, n);
}

/* ---- names ---- */

static bool insp_eq(const char *s, size_t n, const char *lit)
{
	return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

static bool insp_prefix(const char *s, size_t n, const char *pre)
{
	size_t k = strlen(pre);

	return n >= k && memcmp(s, pre, k) == 0;
}

/* The capability a preview1 function grants (wrun(1), INSPECT). */
static enum insp_group insp_group_of(const char *s, size_t n)
{
	if (insp_prefix(s, n, "fd_") || insp_prefix(s, n, "path_"))
		return G_FILES;
	if (insp_prefix(s, n, "clock_") || insp_eq(s, n, "poll_oneoff"))
		return G_CLOCKS;
	if (insp_eq(s, n, "random_get"))
		return G_RANDOM;
	if (insp_prefix(s, n, "sock_"))
		return G_SOCKETS;
	if (insp_prefix(s, n, "proc_") || insp_eq(s, n, "sched_yield") ||
	    insp_prefix(s, n, "args_") || insp_prefix(s, n, "environ_"))
		return G_PROCESS;
	return G_OTHER;
}

static int insp_name_cmp(const void *pa, const void *pb)
{
	const struct insp_name *a = pa, *b = pb;
	int r;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	r = memcmp(a->s, b->s, a->n < b->n ? a->n : b->n);
	return r ? r : (a->n > b->n) - (a->n < b->n);
}

/* ---- preview1 imports ---- */

/*
 * The wasi_snapshot_preview1 functions the modules import, sorted by
 * group and name, each once; *count of them.  NULL with *count 0 when
 * there are none; NULL with b->oom set when memory ran out.
 */
static struct insp_name *insp_p1_collect(const wr_module *const *mods, size_t nmods,
					 size_t *count, struct inspect_buf *b)
{
	struct insp_name *v = NULL;
	size_t n = 0, total = 0, k = 0;
	wr_import im;

	for (size_t i = 0; i < nmods; i++)
		total += wr_module_import_count(mods[i]);
	*count = 0;
	if (total == 0 || !(v = calloc(total, sizeof(*v)))) {
		b->oom |= total != 0;
		return NULL;
	}
	for (size_t i = 0; i < nmods; i++)
		for (size_t j = 0; j < wr_module_import_count(mods[i]); j++) {
			wr_module_import(mods[i], j, &im);
			if (im.type.kind == WR_EXTERN_FUNC &&
			    insp_eq(im.module, im.module_len, INSP_P1))
				v[n++] = (struct insp_name){ im.name, im.name_len,
							     insp_group_of(im.name, im.name_len) };
		}
	qsort(v, n, sizeof(*v), insp_name_cmp);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || insp_name_cmp(&v[k - 1], &v[i]) != 0)
			v[k++] = v[i];
	*count = k;
	return v;
}

/* The groups: JSON ,"wasi_snapshot_preview1":{"files":[..],..}; text a
 * line for each group that is not empty. */
static void insp_p1_render(struct inspect_buf *b, bool json, const struct insp_name *v,
			   size_t n)
{
	size_t i = 0;

	ib_str(b, json ? ",\"wasi_snapshot_preview1\":{" :
	       n ? "wasi_snapshot_preview1 imports:\n" : "wasi_snapshot_preview1 imports: none\n");
	for (int g = 0; g < G__COUNT; g++) {
		size_t start = i;

		if (json)
			ib_printf(b, "%s\"%s\":[", g ? "," : "", insp_group_name[g]);
		else if (i < n && v[i].group == (enum insp_group)g)
			ib_printf(b, "  %s: ", insp_group_name[g]);
		for (; i < n && v[i].group == (enum insp_group)g; i++)
			ib_item(b, json, i == start, v[i].s, v[i].n);
		if (json)
			ib_str(b, "]");
		else if (i > start)
			ib_str(b, "\n");
	}
	if (json)
		ib_str(b, "}");
}

static void insp_p1(struct inspect_buf *b, bool json, const wr_module *const *mods,
		    size_t nmods)
{
	size_t n;
	struct insp_name *v = insp_p1_collect(mods, nmods, &n, b);

	insp_p1_render(b, json, v, n);
	free(v);
}

/* ---- a core module ---- */

static const char *insp_kind(wr_externkind k)
{
	return (unsigned)k < sizeof(insp_kind_name) / sizeof(*insp_kind_name) ?
	       insp_kind_name[k] : "unknown";
}

/* Imports from modules other than wasi_snapshot_preview1. */
static void insp_other_imports(struct inspect_buf *b, bool json, const wr_module *m)
{
	bool first = true;
	wr_import im;

	ib_str(b, json ? ",\"imports\":[" : "");
	for (size_t i = 0; i < wr_module_import_count(m); i++) {
		wr_module_import(m, i, &im);
		if (im.type.kind == WR_EXTERN_FUNC && insp_eq(im.module, im.module_len, INSP_P1))
			continue;
		if (json) {
			ib_str(b, first ? "{\"module\":" : ",{\"module\":");
			ib_name(b, true, im.module, im.module_len);
			ib_str(b, ",\"name\":");
			ib_name(b, true, im.name, im.name_len);
			ib_printf(b, ",\"kind\":\"%s\"}", insp_kind(im.type.kind));
		} else {
			ib_str(b, first ? "other imports:\n  " : "  ");
			ib_name(b, false, im.module, im.module_len);
			ib_str(b, ".");
			ib_name(b, false, im.name, im.name_len);
			ib_printf(b, " (%s)\n", insp_kind(im.type.kind));
		}
		first = false;
	}
	ib_str(b, json ? "]" : first ? "other imports: none\n" : "");
}

/* One memory (imported from module `from`, or exported when from is NULL). */
static void insp_memory(struct inspect_buf *b, bool json, bool first, const wr_limits *l,
			const char *name, size_t name_len, const char *from, size_t from_len)
{
	if (json) {
		ib_str(b, first ? "{\"name\":" : ",{\"name\":");
		ib_name(b, true, name, name_len);
		ib_str(b, ",\"imported_from\":");
		if (from)
			ib_name(b, true, from, from_len);
		else
			ib_str(b, "null");
		ib_printf(b, ",\"initial_pages\":%llu,\"max_pages\":", (unsigned long long)l->min);
		if (l->has_max)
			ib_printf(b, "%llu", (unsigned long long)l->max);
		else
			ib_str(b, "null");
		ib_printf(b, ",\"memory64\":%s}", l->addr64 ? "true" : "false");
		return;
	}
	ib_str(b, "memory: ");
	ib_name(b, false, name, name_len);
	if (from) {
		ib_str(b, " imported from ");
		ib_name(b, false, from, from_len);
	} else {
		ib_str(b, " exported");
	}
	ib_printf(b, ", %llu pages initial, ", (unsigned long long)l->min);
	if (l->has_max)
		ib_printf(b, "%llu max", (unsigned long long)l->max);
	else
		ib_str(b, "no maximum");
	ib_str(b, l->addr64 ? ", 64-bit\n" : "\n");
}

/* The memories the module imports or exports (one it keeps to itself has
 * no name to show). */
static void insp_memories(struct inspect_buf *b, bool json, const wr_module *m)
{
	bool first = true;
	wr_import im;
	wr_export ex;

	ib_str(b, json ? ",\"memories\":[" : "");
	for (size_t i = 0; i < wr_module_import_count(m); i++) {
		wr_module_import(m, i, &im);
		if (im.type.kind != WR_EXTERN_MEMORY)
			continue;
		insp_memory(b, json, first, &im.type.of.memory, im.name, im.name_len,
			    im.module, im.module_len);
		first = false;
	}
	for (size_t i = 0; i < wr_module_export_count(m); i++) {
		wr_module_export(m, i, &ex);
		if (ex.type.kind != WR_EXTERN_MEMORY)
			continue;
		insp_memory(b, json, first, &ex.type.of.memory, ex.name, ex.name_len, NULL, 0);
		first = false;
	}
	ib_str(b, json ? "]" : first ? "memory: none visible (not imported or exported)\n" : "");
}

/* Exports, and the entry point: _start (a command) or _initialize (a
 * reactor), when exported as functions. */
static void insp_exports(struct inspect_buf *b, bool json, const wr_module *m)
{
	const char *entry = NULL;
	wr_export ex;

	ib_str(b, json ? ",\"exports\":[" : "exports:\n");
	for (size_t i = 0; i < wr_module_export_count(m); i++) {
		wr_module_export(m, i, &ex);
		if (ex.type.kind == WR_EXTERN_FUNC && insp_eq(ex.name, ex.name_len, "_start"))
			entry = "_start";
		else if (ex.type.kind == WR_EXTERN_FUNC && !entry &&
			 insp_eq(ex.name, ex.name_len, "_initialize"))
			entry = "_initialize";
		if (json) {
			ib_str(b, i ? ",{\"name\":" : "{\"name\":");
			ib_name(b, true, ex.name, ex.name_len);
			ib_printf(b, ",\"kind\":\"%s\"}", insp_kind(ex.type.kind));
		} else {
			ib_str(b, "  ");
			ib_name(b, false, ex.name, ex.name_len);
			ib_printf(b, " (%s)\n", insp_kind(ex.type.kind));
		}
	}
	ib_str(b, json ? "],\"entry\":" : "entry: ");
	if (entry)
		ib_name(b, json, entry, strlen(entry));
	else
		ib_str(b, json ? "null" : "none");
	ib_str(b, json ? "" : "\n");
}

static void insp_module(struct inspect_buf *b, bool json, const wr_module *m, const char *file)
{
	ib_str(b, json ? "{\"file\":" : "");
	ib_name(b, json, file, strlen(file));
	ib_str(b, json ? ",\"kind\":\"module\"" : ": core module\n");
	insp_p1(b, json, &m, 1);
	insp_other_imports(b, json, m);
	insp_memories(b, json, m);
	insp_exports(b, json, m);
	ib_str(b, json ? "}\n" : "");
}

/* ---- a component ---- */

enum insp_items { II_FUNCS, II_RESOURCES, II_USES };

/*
 * The functions, the resource types declared, or the resource types used
 * (bound to another interface's) of instance-typed import or export i:
 * text "    functions: a, b" (nothing when empty), JSON ,"functions":[..].
 */
static void insp_items(struct inspect_buf *b, bool json, const wr_component *c, bool exported,
		       size_t i, enum insp_items what)
{
	static const char *const key[] = { "functions", "resources", "resource_uses" };
	static const char *const label[] = { "functions", "resources", "uses resources" };
	size_t n = wr_component_item_count(c, exported, i);
	bool first = true;
	wr_citem_info it;

	if (json)
		ib_printf(b, ",\"%s\":[", key[what]);
	for (size_t j = 0; j < n; j++) {
		if (!wr_component_item(c, exported, i, j, &it))
			continue;
		if (what == II_FUNCS ? it.sort != WR_CSORT_FUNC :
		    !it.resource || it.fresh != (what == II_RESOURCES))
			continue;
		if (!json && first)
			ib_printf(b, "    %s: ", label[what]);
		ib_item(b, json, first, it.name, it.name_len);
		first = false;
	}
	ib_str(b, json ? "]" : first ? "" : "\n");
}

/* Import or export i: its name, interface and version (a name
 * "ns:pkg/iface@1.2.3"), its sort, and what an instance holds. */
static void insp_cextern(struct inspect_buf *b, bool json, const wr_component *c, bool exported,
			 size_t i)
{
	wr_cextern_info e;
	size_t iface;

	if (!(exported ? wr_component_export : wr_component_import)(c, i, &e))
		return;
	for (iface = e.name_len; iface > 0 && e.name[iface - 1] != '@'; iface--)
		;
	iface = iface ? iface - 1 : e.name_len;	/* the length before the '@' */
	if (json) {
		ib_str(b, i ? ",{\"name\":" : "{\"name\":");
		ib_name(b, true, e.name, e.name_len);
		ib_str(b, ",\"interface\":");
		ib_name(b, true, e.name, iface);
		ib_str(b, ",\"version\":");
		if (iface < e.name_len)
			ib_name(b, true, e.name + iface + 1, e.name_len - iface - 1);
		else
			ib_str(b, "null");
		ib_printf(b, ",\"sort\":\"%s\"", wr_csort_name(e.sort));
	} else {
		ib_str(b, "  ");
		ib_name(b, false, e.name, e.name_len);
		ib_printf(b, " (%s)\n", wr_csort_name(e.sort));
	}
	insp_items(b, json, c, exported, i, II_RESOURCES);
	insp_items(b, json, c, exported, i, II_USES);
	insp_items(b, json, c, exported, i, II_FUNCS);
	ib_str(b, json ? "}" : "");
}

static void insp_cexterns(struct inspect_buf *b, bool json, const wr_component *c, bool exported)
{
	const char *key = exported ? "exports" : "imports";
	size_t n = exported ? wr_component_export_count(c) : wr_component_import_count(c);

	if (json)
		ib_printf(b, ",\"%s\":[", key);
	else
		ib_printf(b, "%s:%s\n", key, n ? "" : " none");
	for (size_t i = 0; i < n; i++)
		insp_cextern(b, json, c, exported, i);
	ib_str(b, json ? "]" : "");
}

/*
 * The preview1 adapter (wrun(1), INSPECT): a core module that exports
 * functions named as wasi_snapshot_preview1's and imports from "wasi:"
 * interfaces, turning the one into the other.
 */
static bool insp_is_adapter(const wr_module *m)
{
	bool p1 = false, wasi = false;
	wr_import im;
	wr_export ex;

	for (size_t i = 0; i < wr_module_export_count(m) && !p1; i++) {
		wr_module_export(m, i, &ex);
		p1 = ex.type.kind == WR_EXTERN_FUNC && wasi_fn_lookup(ex.name, ex.name_len) >= 0;
	}
	for (size_t i = 0; i < wr_module_import_count(m) && !wasi; i++) {
		wr_module_import(m, i, &im);
		wasi = insp_prefix(im.module, im.module_len, "wasi:");
	}
	return p1 && wasi;
}

static void insp_component(struct inspect_buf *b, bool json, const wr_component *c,
			   const char *file)
{
	size_t nmods = wr_component_module_count(c);
	const wr_module **mods = calloc(nmods + 1, sizeof(*mods));
	bool adapter = false;

	if (!mods) {
		b->oom = true;
		return;
	}
	for (size_t i = 0; i < nmods; i++) {
		mods[i] = wr_component_module(c, i);
		adapter |= insp_is_adapter(mods[i]);
	}
	ib_str(b, json ? "{\"file\":" : "");
	ib_name(b, json, file, strlen(file));
	ib_str(b, json ? ",\"kind\":\"component\"" : ": component\n");
	insp_cexterns(b, json, c, false);
	insp_cexterns(b, json, c, true);
	if (json)
		ib_printf(b, ",\"preview1_adapter\":%s,\"core_modules\":%zu",
			  adapter ? "true" : "false", nmods);
	else
		ib_printf(b, "preview1 adapter: %s\ncore modules: %zu\n", adapter ? "yes" : "no",
			  nmods);
	insp_p1(b, json, mods, nmods);
	ib_str(b, json ? "}\n" : "");
	free(mods);
}

/* ---- the entry ---- */

void inspect_describe(const uint8_t *bytes, size_t len, const char *file, bool json,
		      struct inspect_buf *b, struct run_outcome *out)
{
	wr_diag diag = { { 0 }, 0 };

	run_set(out, RUN_EXIT, "%s", "");
	out->code = 0;
	out->detail = 0;
	if (wr_is_component(bytes, len)) {
		wr_component *c = wr_component_load(bytes, len, &diag);

		if (c)
			insp_component(b, json, c, file);
		wr_component_free(c);
	} else {
		wr_module *m = wr_module_load(bytes, len, &diag);

		if (m)
			insp_module(b, json, m, file);
		wr_module_free(m);
	}
	/* The loaders word running out of memory as a diagnostic. */
	if (diag.message[0] && strncmp(diag.message, "out of memory", 13) != 0) {
		run_set(out, RUN_LOAD, "%s", diag.message);
		out->detail = diag.offset;
	} else if (diag.message[0] || b->oom || !b->len) {
		run_set(out, RUN_NOMEM, "%s", "");
	}
}

void inspect_buf_free(struct inspect_buf *b)
{
	free(b->p);
	*b = (struct inspect_buf){ 0 };
}
