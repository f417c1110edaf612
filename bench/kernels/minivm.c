/*
** minivm: an interpreter running a script.
**
** A small Forth-like language, compiled from its source text to bytecode and
** run by a switch-dispatch loop with a data stack and a return stack: the
** shape of a real scripting language's interpreter (an unpredictable
** indirect branch per bytecode, stack traffic, calls and returns). The
** script below computes recursive Fibonacci numbers, counts primes by trial
** division, sums Collatz path lengths and selection-sorts an array; SIZE
** scales its work, REPS reruns it with a different seed.
**
** The language: integers (32-bit, wrapping); words separated by blanks;
** `: name ... ;` defines a word; `var name` a cell whose address the name
** pushes; `@ !` load and store a cell; `if else then`, `begin until`,
** `begin while repeat`, `do loop` (pre-tested, with `i` and `j`), `exit`.
*/
#include "bench.h"

static const char vm_script[] =
	"var seed var n var t var acc "
	": rand seed @ 1103515245 * 12345 + 2147483647 and dup seed ! ; "
	": fib dup 2 < if exit then dup 1 - fib swap 2 - fib + ; "
	": prime? dup 2 < if drop 0 exit then 2 begin over over dup * >= while "
	"  over over mod 0 = if drop drop 0 exit then 1 + repeat drop drop 1 ; "
	": primes 0 swap 0 do i prime? + loop ; "
	": collatz 0 swap begin dup 1 > while dup 1 and if 3 * 1 + else 2 / then "
	"  swap 1 + swap repeat drop ; "
	": collatzsum 0 swap 1 do i collatz + loop ; "
	": a@ 1000 + @ ; : a! 1000 + ! ; "
	": fill 0 do rand 65535 and i a! loop ; "
	": ssort n ! n @ 0 do n @ i 1 + do j a@ i a@ > if "
	"  j a@ t ! i a@ j a! t @ i a! then loop loop ; "
	": csum 0 n @ 0 do i a@ i 1 + * + loop ; "
	": main seed ! 0 acc ! "
	"  size 4000 / 16 + fib acc @ + acc ! "
	"  size primes acc @ + acc ! "
	"  size 2 / collatzsum acc @ + acc ! "
	"  size 20 / 10 + dup fill ssort csum acc @ + acc ! acc @ ; ";

enum {
	OP_LIT, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_AND, OP_OR, OP_LT, OP_GT,
	OP_LE, OP_GE, OP_EQ, OP_DUP, OP_DROP, OP_SWAP, OP_OVER, OP_FETCH, OP_STORE,
	OP_JMP, OP_JZ, OP_CALL, OP_RET, OP_DO, OP_QDO, OP_LOOP, OP_I, OP_J, OP_SIZE,
	OP_HALT,
};

#define VM_CODE 4096
#define VM_WORDS 64
#define VM_CELLS 65536
#define VM_STACK 1024
#define VM_NAME 16

static int32_t code[VM_CODE];
static int32_t ncode;
static uint32_t cells[VM_CELLS];
static int32_t nvars;

static struct { char name[VM_NAME]; int32_t kind, val; } dict[VM_WORDS];
static int32_t ndict;

static const struct { const char *name; int32_t op; } prims[] = {
	{ "+", OP_ADD }, { "-", OP_SUB }, { "*", OP_MUL }, { "/", OP_DIV }, { "mod", OP_MOD },
	{ "and", OP_AND }, { "or", OP_OR }, { "<", OP_LT }, { ">", OP_GT }, { "<=", OP_LE },
	{ ">=", OP_GE }, { "=", OP_EQ }, { "dup", OP_DUP }, { "drop", OP_DROP },
	{ "swap", OP_SWAP }, { "over", OP_OVER }, { "@", OP_FETCH }, { "!", OP_STORE },
	{ "i", OP_I }, { "j", OP_J }, { "size", OP_SIZE }, { "exit", OP_RET },
};

static int vm_eq(const char *a, int32_t n, const char *b)
{
	int32_t i = 0;

	for (; i < n && b[i]; i++)
		if (a[i] != b[i])
			return 0;
	return i == n && !b[i];
}

static void emit(int32_t v)
{
	if (ncode < VM_CODE)
		code[ncode++] = v;
}

/* Compile the script; returns the entry point of `main`, or -1 on an error
** (an unknown word, an unbalanced control structure, a table full). */
static int32_t vm_compile(const char *s)
{
	int32_t ctl[64], nctl = 0, entry = -1, defining = 0;

	ncode = ndict = nvars = 0;
	emit(OP_HALT);
	while (*s) {
		const char *w;
		int32_t n = 0, k, done = 0;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		for (w = s; *s && *s != ' '; s++)
			n++;
		if (w[0] >= '0' && w[0] <= '9') {
			uint32_t v = 0;
			for (k = 0; k < n; k++)
				v = v * 10 + (uint32_t)(w[k] - '0');
			emit(OP_LIT), emit((int32_t)v);
			continue;
		}
		if (vm_eq(w, n, ":") || vm_eq(w, n, "var")) {
			int32_t colon = w[0] == ':';
			while (*s == ' ')
				s++;
			for (w = s, n = 0; *s && *s != ' '; s++)
				n++;
			if (ndict == VM_WORDS || n >= VM_NAME || (colon && defining))
				return -1;
			for (k = 0; k < n; k++)
				dict[ndict].name[k] = w[k];
			dict[ndict].name[n] = 0;
			dict[ndict].kind = colon;
			dict[ndict].val = colon ? ncode : nvars++;
			if (colon && vm_eq(w, n, "main"))
				entry = ncode;
			ndict++;
			defining = colon;
			continue;
		}
		if (vm_eq(w, n, ";")) {
			if (!defining || nctl)
				return -1;
			emit(OP_RET);
			defining = 0;
			continue;
		}
		/* control structures: ctl holds the addresses to patch or return to */
		if (vm_eq(w, n, "if")) {
			emit(OP_JZ), emit(0), ctl[nctl++] = ncode - 1;
		} else if (vm_eq(w, n, "else")) {
			if (!nctl)
				return -1;
			emit(OP_JMP), emit(0);
			code[ctl[nctl - 1]] = ncode;
			ctl[nctl - 1] = ncode - 1;
		} else if (vm_eq(w, n, "then")) {
			if (!nctl)
				return -1;
			code[ctl[--nctl]] = ncode;
		} else if (vm_eq(w, n, "begin")) {
			ctl[nctl++] = ncode;
		} else if (vm_eq(w, n, "until")) {
			if (!nctl)
				return -1;
			emit(OP_JZ), emit(ctl[--nctl]);
		} else if (vm_eq(w, n, "while")) {
			emit(OP_JZ), emit(0), ctl[nctl++] = ncode - 1;
		} else if (vm_eq(w, n, "repeat")) {
			if (nctl < 2)
				return -1;
			emit(OP_JMP), emit(ctl[nctl - 2]);
			code[ctl[nctl - 1]] = ncode;
			nctl -= 2;
		} else if (vm_eq(w, n, "do")) {
			emit(OP_DO);
			ctl[nctl++] = ncode;
			emit(OP_QDO), emit(0);
		} else if (vm_eq(w, n, "loop")) {
			if (!nctl)
				return -1;
			emit(OP_LOOP), emit(ctl[--nctl]);
			code[ctl[nctl] + 1] = ncode;
		} else {
			done = 1;
		}
		if (nctl >= 62)
			return -1;
		if (!done)
			continue;
		for (k = 0; k < (int32_t)(sizeof prims / sizeof prims[0]); k++)
			if (vm_eq(w, n, prims[k].name))
				break;
		if (k < (int32_t)(sizeof prims / sizeof prims[0])) {
			emit(prims[k].op);
			continue;
		}
		for (k = ndict - 1; k >= 0; k--)
			if (vm_eq(w, n, dict[k].name))
				break;
		if (k < 0)
			return -1;
		if (dict[k].kind)
			emit(OP_CALL), emit(dict[k].val);
		else
			emit(OP_LIT), emit(dict[k].val);
	}
	return ncode < VM_CODE && !defining ? entry : -1;
}

/* Run from pc with the stack holding `arg`; returns the top of the stack, or
** a negative error code if a stack over- or underflows. */
static int64_t vm_run(int32_t pc, uint32_t arg, uint32_t size)
{
	uint32_t ds[VM_STACK], rs[VM_STACK];
	int32_t sp = 0, rp = 0;
	uint32_t a, b;

	ds[sp++] = arg;
	rs[rp++] = 0;	/* main returns to the HALT at 0 */
	for (;;) {
		if (sp < 0 || sp > VM_STACK - 4 || rp < 0 || rp > VM_STACK - 4 ||
		    pc < 0 || pc >= ncode)
			return -1;
		switch (code[pc++]) {
		case OP_LIT: ds[sp++] = (uint32_t)code[pc++]; break;
		case OP_ADD: sp--; ds[sp - 1] += ds[sp]; break;
		case OP_SUB: sp--; ds[sp - 1] -= ds[sp]; break;
		case OP_MUL: sp--; ds[sp - 1] *= ds[sp]; break;
		case OP_DIV: sp--; ds[sp - 1] = ds[sp] ? ds[sp - 1] / ds[sp] : 0; break;
		case OP_MOD: sp--; ds[sp - 1] = ds[sp] ? ds[sp - 1] % ds[sp] : 0; break;
		case OP_AND: sp--; ds[sp - 1] &= ds[sp]; break;
		case OP_OR: sp--; ds[sp - 1] |= ds[sp]; break;
		case OP_LT: sp--; ds[sp - 1] = (int32_t)ds[sp - 1] < (int32_t)ds[sp]; break;
		case OP_GT: sp--; ds[sp - 1] = (int32_t)ds[sp - 1] > (int32_t)ds[sp]; break;
		case OP_LE: sp--; ds[sp - 1] = (int32_t)ds[sp - 1] <= (int32_t)ds[sp]; break;
		case OP_GE: sp--; ds[sp - 1] = (int32_t)ds[sp - 1] >= (int32_t)ds[sp]; break;
		case OP_EQ: sp--; ds[sp - 1] = ds[sp - 1] == ds[sp]; break;
		case OP_DUP: ds[sp] = ds[sp - 1]; sp++; break;
		case OP_DROP: sp--; break;
		case OP_SWAP: a = ds[sp - 1]; ds[sp - 1] = ds[sp - 2]; ds[sp - 2] = a; break;
		case OP_OVER: ds[sp] = ds[sp - 2]; sp++; break;
		case OP_FETCH: ds[sp - 1] = cells[ds[sp - 1] % VM_CELLS]; break;
		case OP_STORE: sp -= 2; cells[ds[sp + 1] % VM_CELLS] = ds[sp]; break;
		case OP_JMP: pc = code[pc]; break;
		case OP_JZ: pc = ds[--sp] ? pc + 1 : code[pc]; break;
		case OP_CALL: rs[rp++] = (uint32_t)pc + 1; pc = code[pc]; break;
		case OP_RET: pc = (int32_t)rs[--rp]; break;
		case OP_DO: sp -= 2; rs[rp++] = ds[sp]; rs[rp++] = ds[sp + 1]; break;
		case OP_QDO:
			/* rs: limit, index; leave the loop when index >= limit */
			if ((int32_t)rs[rp - 1] >= (int32_t)rs[rp - 2]) {
				rp -= 2;
				pc = code[pc];
			} else {
				pc++;
			}
			break;
		case OP_LOOP: rs[rp - 1]++; pc = code[pc]; break;
		case OP_I: ds[sp++] = rs[rp - 1]; break;
		case OP_J: ds[sp++] = rs[rp - 3]; break;
		case OP_SIZE: ds[sp++] = size; break;
		case OP_HALT: return sp == 1 ? (int64_t)ds[0] : -2;
		default: return -3;
		}
		(void)b;
	}
}

BENCH_EXPORT(minivm)
int64_t minivm(int32_t size, int32_t reps)
{
	int32_t entry = vm_compile(vm_script);
	int64_t sum = 0;

	if (entry < 0)
		return -100;
	size = bench_clamp(size, 100, 1000000);
	for (int32_t r = 0; r < reps; r++) {
		int64_t v = vm_run(entry, (uint32_t)r * 2654435761u + 1, (uint32_t)size);
		if (v < 0)
			return v;
		sum += v;
	}
	return sum;
}
