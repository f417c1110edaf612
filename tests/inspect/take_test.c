/*
 * take_test.c: what wrun makes of a jailed inspect child's result
 * (sandbox/sbx_inspect.c, included whole for its static functions).  The
 * child may be hostile: a forged header (no magic, a length past the
 * area, an ending the child may not claim, text without its NUL or with
 * control characters) and every way the child can end must give the
 * outcome and the printable text expected.  Ends with
 * "N passed, N failed, N skipped".
 */
#include "../../sandbox/sbx_inspect.c"

static int passed, failed;

static void expect(const char *what, bool ok)
{
	if (ok) {
		passed++;
	} else {
		failed++;
		printf("FAIL %s\n", what);
	}
}

/* A header as an honest child writes it. */
static struct insp_head *honest(enum run_end end, uint64_t len, const char *text)
{
	static struct insp_head h;

	memset(&h, 0, sizeof(h));
	h.magic = INSP_MAGIC;
	h.end = (uint32_t)end;
	h.len = len;
	h.detail = 42;
	snprintf(h.text, sizeof(h.text), "%s", text);
	return &h;
}

static enum run_end take(const struct insp_head *h, int st, struct run_outcome *out)
{
	insp_take(h, st, out);
	return out->end;
}

static void test_headers(void)
{
	static struct run_outcome out;
	struct insp_head *h;

	expect("honest description", take(honest(RUN_EXIT, 7, ""), 0, &out) == RUN_EXIT);
	expect("honest malformed file", take(honest(RUN_LOAD, 0, "bad"), 0, &out) == RUN_LOAD &&
	       out.detail == 42 && strcmp(out.text, "bad") == 0);
	expect("honest out of memory", take(honest(RUN_NOMEM, 0, ""), 0, &out) == RUN_NOMEM);
	h = honest(RUN_EXIT, 7, "");
	h->magic = 0;
	expect("no magic: a crash", take(h, 0, &out) == RUN_CRASH);
	expect("length past the area", take(honest(RUN_EXIT, INSP_AREA, ""), 0, &out) ==
	       RUN_VIOLATION);
	expect("length of the whole area", take(honest(RUN_EXIT, INSP_AREA - sizeof(*h) + 1, ""),
						0, &out) == RUN_VIOLATION);
	expect("an ending the child may not claim (trap)",
	       take(honest(RUN_TRAP, 0, "x"), 0, &out) == RUN_VIOLATION);
	expect("an ending the child may not claim (timeout)",
	       take(honest(RUN_TIMEOUT, 0, ""), 0, &out) == RUN_VIOLATION);
	expect("an unknown ending", take(honest((enum run_end)9999, 0, ""), 0, &out) ==
	       RUN_VIOLATION);
	h = honest(RUN_LOAD, 0, "");
	memset(h->text, 'A', sizeof(h->text));
	expect("text without its NUL is cut",
	       take(h, 0, &out) == RUN_LOAD && strlen(out.text) < sizeof(out.text));
}

static void test_endings(void)
{
	static struct run_outcome out;

	expect("killed by SIGSYS: a violation",
	       take(honest(RUN_EXIT, 1, ""), SIGSYS, &out) == RUN_VIOLATION);
	expect("killed by SIGSEGV: a crash", take(honest(RUN_EXIT, 1, ""), SIGSEGV, &out) ==
	       RUN_CRASH && strstr(out.text, "signal 11"));
	expect("exit 3 after the magic: a crash",
	       take(honest(RUN_EXIT, 1, ""), 3 << 8, &out) == RUN_CRASH);
	expect("not reaped: an error", take(honest(RUN_EXIT, 1, ""), -ECHILD, &out) == RUN_ERROR);
}

static void test_printable(void)
{
	char s[] = "a\x1b[31m\xc2\x9bX\t\n\x7f\xc3\xa9";

	insp_printable(s, sizeof(s) - 1);
	expect("control characters become '?'", strcmp(s, "a?[31m??X?\n?\xc3\xa9") == 0);
}

int main(void)
{
	test_headers();
	test_endings();
	test_printable();
	printf("%d passed, %d failed, 0 skipped\n", passed, failed);
	return failed != 0;
}
