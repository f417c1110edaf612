/*
 * w2_core.c: the bridge (a core module importing every preview1 function
 * and exporting a caller for each, plus its memory), preview1 calls
 * through it, the resource table and value helpers.
 */
#include <stdlib.h>
#include <string.h>

#include "w2.h"

/* ---- the bridge module, encoded here ---- */

struct wbuf {
	uint8_t b[8192];
	size_t n;
	bool over;
};

static void wb_byte(struct wbuf *w, uint8_t c)
{
	if (w->n < sizeof(w->b))
		w->b[w->n++] = c;
	else
		w->over = true;
}

static void wb_leb(struct wbuf *w, uint32_t v)
{
	do {
		uint8_t c = v & 0x7f;

		v >>= 7;
		wb_byte(w, v ? c | 0x80 : c);
	} while (v);
}

static void wb_name(struct wbuf *w, const char *s)
{
	wb_leb(w, (uint32_t)strlen(s));
	while (*s)
		wb_byte(w, (uint8_t)*s++);
}

static void wb_section(struct wbuf *out, uint8_t id, const struct wbuf *sec)
{
	wb_byte(out, id);
	wb_leb(out, (uint32_t)sec->n);
	for (size_t i = 0; i < sec->n; i++)
		wb_byte(out, sec->b[i]);
	out->over |= sec->over;
}

/* Types, imports and the function section: one of each per preview1 fn. */
static void bridge_decls(struct wbuf *out)
{
	static struct wbuf ty, im, fu;
	const unsigned n = WASI_FN__COUNT;

	ty.n = im.n = fu.n = 0;
	wb_leb(&ty, n);
	wb_leb(&im, n);
	wb_leb(&fu, n);
	for (unsigned f = 0; f < n; f++) {
		const char *sig = wasi_fn_sig(f);

		wb_byte(&ty, 0x60);
		wb_leb(&ty, (uint32_t)strlen(sig));
		for (const char *p = sig; *p; p++)
			wb_byte(&ty, *p == 'l' ? 0x7e : 0x7f);
		wb_leb(&ty, f == WASI_FN_proc_exit ? 0 : 1);
		if (f != WASI_FN_proc_exit)
			wb_byte(&ty, 0x7f);
		wb_name(&im, wasi_fn_module(f));
		wb_name(&im, wasi_fn_name(f));
		wb_byte(&im, 0x00);
		wb_leb(&im, f);
		wb_leb(&fu, f);
	}
	wb_section(out, 1, &ty);
	wb_section(out, 2, &im);
	wb_section(out, 3, &fu);
}

/* Memory, exports and code: function n + f calls import f. */
static void bridge_defs(struct wbuf *out)
{
	static struct wbuf me, ex, co;
	const unsigned n = WASI_FN__COUNT;

	me.n = ex.n = co.n = 0;
	wb_leb(&me, 1);
	wb_byte(&me, 0x01);
	wb_leb(&me, W2_PAGES);
	wb_leb(&me, W2_PAGES);
	wb_leb(&ex, n + 1);
	wb_name(&ex, "memory");
	wb_byte(&ex, 0x02);
	wb_leb(&ex, 0);
	wb_leb(&co, n);
	for (unsigned f = 0; f < n; f++) {
		uint32_t np = (uint32_t)strlen(wasi_fn_sig(f));
		struct wbuf body = { .n = 0 };

		wb_name(&ex, wasi_fn_name(f));
		wb_byte(&ex, 0x00);
		wb_leb(&ex, n + f);
		wb_leb(&body, 0);
		for (uint32_t i = 0; i < np; i++) {
			wb_byte(&body, 0x20);
			wb_leb(&body, i);
		}
		wb_byte(&body, 0x10);
		wb_leb(&body, f);
		wb_byte(&body, 0x0b);
		wb_leb(&co, (uint32_t)body.n);
		for (size_t i = 0; i < body.n; i++)
			wb_byte(&co, body.b[i]);
	}
	wb_section(out, 5, &me);
	wb_section(out, 7, &ex);
	wb_section(out, 10, &co);
}

static bool bridge_bind(struct wasi2 *w, wr_module *m, const struct run_transport *t,
			struct run_outcome *out)
{
	wr_extern *imports = calloc(WASI_FN__COUNT, sizeof(*imports));
	wr_extern ex;
	bool ok = false;

	if (!imports) {
		run_set(out, RUN_NOMEM, NULL);
		return false;
	}
	if (run_link(w->s, m, t, false, true, imports, out)) {
		w->bridge = wr_instantiate(w->s, m, imports, WASI_FN__COUNT, &w->trap);
		if (!w->bridge)
			run_trapped(&w->trap, out);
	}
	free(imports);
	if (!w->bridge)
		return false;
	for (unsigned f = 0; f < WASI_FN__COUNT; f++) {
		if (!wr_instance_export(w->bridge, wasi_fn_name(f), &ex))
			break;
		w->fn[f] = ex.of.func;
	}
	ok = wr_instance_export(w->bridge, "memory", &ex) && ex.kind == WR_EXTERN_MEMORY;
	w->mem = ok ? ex.of.memory : NULL;
	if (!ok)
		run_set(out, RUN_ERROR, "wasi 0.2: the bridge module is malformed");
	return ok;
}

bool wasi2_new(wr_store *s, const struct run_transport *t, struct run_outcome *out,
	       struct wasi2 **wp)
{
	static struct wbuf bin;
	struct wasi2 *w = calloc(1, sizeof(*w));
	wr_diag diag = { { 0 }, 0 };
	wr_module *m;
	static const uint8_t head[8] = { 0, 'a', 's', 'm', 1, 0, 0, 0 };

	*wp = w;
	if (!w) {
		run_set(out, RUN_NOMEM, NULL);
		return false;
	}
	w->s = s;
	bin.n = 0;
	bin.over = false;
	for (size_t i = 0; i < sizeof(head); i++)
		wb_byte(&bin, head[i]);
	bridge_decls(&bin);
	bridge_defs(&bin);
	m = bin.over ? NULL : wr_module_load(bin.b, bin.n, &diag);
	if (!m) {
		if (diag.message[0])
			run_set(out, RUN_ERROR, "wasi 0.2: the bridge module: %s", diag.message);
		else
			run_set(out, RUN_NOMEM, NULL);
		return false;
	}
	w->module = m;	/* freed with w, after the store and its instances */
	return bridge_bind(w, m, t, out);
}

void wasi2_free(struct wasi2 *w)
{
	if (!w)
		return;
	if (w->module)
		wr_module_free(w->module);
	for (uint32_t i = 0; i < w->ntab; i++)
		free(w->tab[i].data);
	free(w->tab);
	free(w);
}

/* ---- preview1 calls ---- */

int w2_p1(struct wasi2 *w, unsigned fn, const uint64_t *args)
{
	const char *sig = wasi_fn_sig(fn);
	wr_value a[16], r = { .type = WR_I32 };
	size_t n = strlen(sig);

	for (size_t i = 0; i < n; i++) {
		a[i].type = sig[i] == 'l' ? WR_I64 : WR_I32;
		if (sig[i] == 'l')
			a[i].of.i64 = (int64_t)args[i];
		else
			a[i].of.i32 = (int32_t)(uint32_t)args[i];
	}
	memset(&w->trap, 0, sizeof(w->trap));
	if (wr_call(w->fn[fn], a, n, &r, fn == WASI_FN_proc_exit ? 0 : 1, &w->trap) != WR_OK)
		return -1;
	return fn == WASI_FN_proc_exit ? 0 : r.of.i32;
}

wr_trapkind w2_pass(struct wasi2 *w, wr_ccall *call)
{
	if (w->trap.kind == WR_TRAP_EXIT)
		return wr_ccall_exit(call, w->trap.exit_code);
	wr_ccall_trap(call, "%s", w->trap.message[0] ? w->trap.message
			  : wr_trap_message(w->trap.kind));
	/* the kind too: fuel running out in the bridge is still fuel */
	return w->trap.kind == WR_OK || w->trap.kind == WR_TRAP_EXCEPTION ? WR_TRAP_HOST
									  : w->trap.kind;
}

uint8_t *w2_mem(struct wasi2 *w, uint32_t off)
{
	return wr_memory_data(w->mem) + off;
}

uint32_t w2_u32(struct wasi2 *w, uint32_t off)
{
	uint32_t v;

	memcpy(&v, w2_mem(w, off), sizeof(v));
	return v;
}

uint64_t w2_u64(struct wasi2 *w, uint32_t off)
{
	uint64_t v;

	memcpy(&v, w2_mem(w, off), sizeof(v));
	return v;
}

/* ---- the resource table ---- */

uint32_t w2_new(struct wasi2 *w, enum w2_kind kind, uint32_t fd)
{
	uint32_t i;

	for (i = 0; i < w->ntab && w->tab[i].kind != W2_FREE; i++)
		;
	if (i == w->ntab) {
		if (w->ntab == W2_MAX_ENTRIES)
			return UINT32_MAX;
		if (w->ntab == w->cap) {
			uint32_t cap = w->cap ? w->cap * 2 : 16;
			struct w2_entry *t = realloc(w->tab, cap * sizeof(*t));

			if (!t)
				return UINT32_MAX;
			w->tab = t;
			w->cap = cap;
		}
		w->ntab++;
	}
	w->tab[i] = (struct w2_entry){ .kind = (uint8_t)kind, .fd = fd, .parent = UINT32_MAX };
	return i;
}

uint32_t w2_child(struct wasi2 *w, enum w2_kind kind, uint32_t fd, uint32_t parent)
{
	uint32_t i = w2_new(w, kind, fd);

	if (i != UINT32_MAX && parent < w->ntab) {
		w->tab[i].parent = parent;
		w->tab[parent].nchild++;
	}
	return i;
}

wr_trapkind w2_derive_fail(struct wasi2 *w, wr_ccall *call, int err)
{
	if (err < 0)
		return w2_pass(w, call);
	if (err == WASI_EMFILE)
		return wr_ccall_trap(call, "wasi 0.2: too many host resources");
	return wr_ccall_trap(call, "wasi 0.2: the broker refused a stream or pollable (errno %d)",
			     err);
}

bool w2_brokered(const struct w2_entry *e)
{
	return e->tok || e->kind == W2_DESC || e->kind == W2_TCP || e->kind == W2_UDP;
}

uint32_t w2_derive(struct wasi2 *w, enum w2_kind kind, uint32_t fd, enum wasi_role role,
		   uint32_t parent, int *err)
{
	uint64_t a[3] = { fd, role, W2_OUT };
	uint32_t i;

	if ((*err = w2_p1(w, WASI_FN_res_derive, a)) != 0)
		return UINT32_MAX;
	i = w2_child(w, kind, w2_u32(w, W2_OUT), parent);
	if (i == UINT32_MAX) {
		a[0] = w2_u32(w, W2_OUT);
		w2_p1(w, WASI_FN_fd_close, a);
		*err = WASI_EMFILE;
		return UINT32_MAX;
	}
	w->tab[i].tok = true;
	return i;
}

struct w2_entry *w2_get(struct wasi2 *w, const wr_cval *h, enum w2_kind kind)
{
	uint32_t rep;

	if ((h->kind != WR_C_BORROW && h->kind != WR_C_OWN) || h->of.handle.type != w->rtype[kind])
		return NULL;
	rep = h->of.handle.rep;
	if (rep >= w->ntab || w->tab[rep].kind != kind)
		return NULL;
	return &w->tab[rep];
}

/*
 * Drop entry rep.  The spec's rule for child resources: an entry that
 * others were made from (a descriptor or socket with streams, a stream or
 * socket with pollables) outlives them, so dropping it first is refused
 * (the drop traps).  A descriptor (not a preopen), a socket and every
 * stream or pollable with a broker handle of its own close it here.  The
 * broker keeps the same rule for the handles it holds (wasi_res.c): should
 * this table and the broker's disagree, the broker's refusal traps too.
 */
const char *w2_drop(struct wasi2 *w, uint32_t rep)
{
	struct w2_entry *e;
	uint64_t a[1];
	int r;

	if (rep >= w->ntab || w->tab[rep].kind == W2_FREE)
		return NULL;
	e = &w->tab[rep];
	if (e->nchild)
		return "wasi 0.2: resource dropped while resources made from it (streams, "
		       "pollables) are alive";
	if (e->tok || (e->kind == W2_DESC && !e->keep) || e->kind == W2_TCP ||
	    e->kind == W2_UDP) {
		a[0] = e->fd;
		r = w2_p1(w, WASI_FN_fd_close, a);
		if (r == WASI_EBUSY)
			return "wasi 0.2: the broker refused to drop a resource that others were "
			       "made from";
		e = &w->tab[rep];
	}
	if (e->parent < w->ntab && w->tab[e->parent].nchild)
		w->tab[e->parent].nchild--;
	free(e->data);
	*e = (struct w2_entry){ .kind = W2_FREE };
	return NULL;
}

/* ---- values ---- */

wr_cval cv_u(wr_ckind k, uint64_t v)
{
	return (wr_cval){ .kind = k, .of.u = v };
}

wr_cval cv_str(const char *s, size_t n)
{
	wr_cval v = { .kind = WR_C_STRING, .len = (uint32_t)n };

	v.of.str = malloc(n + 1);
	if (!v.of.str)
		return (wr_cval){ .kind = WR_C_BOOL };
	memcpy(v.of.str, s, n);
	v.of.str[n] = '\0';
	return v;
}

wr_cval cv_agg(wr_ckind k, uint32_t tag, uint32_t n)
{
	wr_cval v = { .kind = k, .tag = tag, .len = n };

	v.of.elems = n ? calloc(n, sizeof(wr_cval)) : NULL;
	return v;
}

bool cv_oom(const wr_cval *v)
{
	return v->len && !v->of.elems;
}

wr_cval cv_buf(struct wasi2 *w, uint32_t n)
{
	wr_cval v = cv_agg(WR_C_LIST, 0, n);

	for (uint32_t i = 0; v.of.elems && i < n; i++)
		v.of.elems[i] = cv_u(WR_C_U8, w2_mem(w, W2_BUF)[i]);
	return v;
}

wr_cval cv_own(struct wasi2 *w, enum w2_kind kind, uint32_t rep)
{
	return (wr_cval){ .kind = WR_C_OWN, .of.handle = { rep, w->rtype[kind] } };
}

static wr_cval cv_res(uint32_t tag, const wr_cval *payload)
{
	wr_cval v = cv_agg(WR_C_RESULT, tag, payload ? 1 : 0);

	if (payload && v.of.elems)
		v.of.elems[0] = *payload;
	return v;
}

wr_cval cv_ok(const wr_cval *payload)
{
	return cv_res(0, payload);
}

wr_cval cv_err(const wr_cval *payload)
{
	return cv_res(1, payload);
}

wr_trapkind w2_nomem(wr_ccall *call)
{
	return wr_ccall_trap(call, "wasi 0.2: out of host memory");
}

bool w2_define(wr_clinker *l, const char *iface, const struct w2_def *d, size_t n,
	       struct wasi2 *w)
{
	for (size_t i = 0; i < n; i++)
		if (!wr_clinker_define_func(l, iface, d[i].name, d[i].fn, w))
			return false;
	return true;
}

bool wasi2_define(struct wasi2 *w, wr_clinker *l)
{
	return w2_define_io(w, l) && w2_define_cli(w, l) && w2_define_fs(w, l) &&
	       w2_define_sock(w, l);
}
