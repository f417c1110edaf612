/*
 * sjlj.c: setjmp and longjmp in C. clang -fwasm-exceptions
 * -mllvm -wasm-enable-sjlj compiles them to wasm exceptions (a longjmp is
 * a throw of the tag __c_longjmp, caught in every function that called
 * setjmp, which then rethrows what is not for it); tests/eh/run.sh builds
 * this with Debian's clang-19 and with gcc and compares the outputs.
 *
 * A recursive-descent evaluator that abandons an expression with longjmp
 * from any depth, and a dive through nested setjmp handlers.
 */
#include <setjmp.h>
#include <stdio.h>

static jmp_buf fail;
static const char *p;

static long expr(void);

static long number(void)
{
	long v = 0;
	if (*p < '0' || *p > '9')
		longjmp(fail, 1); /* syntax error */
	while (*p >= '0' && *p <= '9')
		v = v * 10 + (*p++ - '0');
	return v;
}

static long factor(void)
{
	if (*p != '(')
		return number();
	p++;
	long v = expr();
	if (*p++ != ')')
		longjmp(fail, 1);
	return v;
}

static long term(void)
{
	long v = factor();
	while (*p == '*' || *p == '/') {
		char op = *p++;
		long w = factor();
		if (op == '/' && w == 0)
			longjmp(fail, 2); /* division by zero */
		v = op == '*' ? v * w : v / w;
	}
	return v;
}

static long expr(void)
{
	long v = term();
	while (*p == '+' || *p == '-') {
		char op = *p++;
		long w = term();
		v = op == '+' ? v + w : v - w;
	}
	return v;
}

/* The value of s, or 0 with *err set to why it failed. */
static long eval(const char *s, int *err)
{
	int r = setjmp(fail);
	if (r) {
		*err = r;
		return 0;
	}
	p = s;
	long v = expr();
	if (*p)
		longjmp(fail, 3); /* trailing input */
	*err = 0;
	return v;
}

static jmp_buf outer;
static int frames;

/* Down n frames, each with a setjmp of its own, then a longjmp to outer:
 * in wasm each of those frames catches it, sees it is not its own and
 * throws it on. */
static void dive(int n)
{
	jmp_buf mine;
	if (setjmp(mine) || n < 0)
		return; /* never: no one jumps to mine */
	frames++;
	if (n == 0)
		longjmp(outer, 1);
	dive(n - 1);
}

int main(void)
{
	static const char *const cases[] = {
		"1+2*3", "(1+2)*3", "10/(5-5)", "2*(3+", "7-2-1", "((((9))))", "8/2/2", "1+", "12x",
	};
	int err;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long v = eval(cases[i], &err);
		if (err)
			printf("%s: error %d\n", cases[i], err);
		else
			printf("%s = %ld\n", cases[i], v);
	}
	long sum = 0;
	int errors[4] = { 0 };
	char buf[32];
	for (int i = 0; i < 30000; i++) {
		snprintf(buf, sizeof(buf), "(%d+%d)*%d/%d%s", i, i % 7, i % 5, i % 4, i % 11 ? "" : ")");
		long v = eval(buf, &err);
		errors[err]++;
		sum += v;
	}
	printf("sum %ld, ok %d, syntax %d, zero %d, trailing %d\n", sum, errors[0], errors[1],
	       errors[2], errors[3]);
	volatile long total = 0;
	for (int i = 0; i < 300; i++) {
		int r = setjmp(outer);
		if (r)
			total += r;
		else
			dive(i % 40);
	}
	printf("dive total %ld, frames %d\n", (long)total, frames);
	return 0;
}
