/*
 * setjmp.h for the wasm32 build of sjlj.c (tests/eh/run.sh): Debian 12's
 * wasi-libc has none. clang -mllvm -wasm-enable-sjlj turns calls to
 * setjmp and longjmp into wasm exception handling and calls of
 * __wasm_setjmp, __wasm_setjmp_test and __wasm_longjmp (sjlj_rt.c), which
 * keep their state in the jmp_buf.
 */
#ifndef EH_SETJMP_H
#define EH_SETJMP_H

typedef struct eh_jmp_buf {
	void *invocation;   /* the function invocation that called setjmp */
	unsigned label;     /* which setjmp of that invocation */
	void *env;          /* what a longjmp throws: this buffer and the value */
	int val;
} jmp_buf[1];

int setjmp(jmp_buf env) __attribute__((returns_twice));
void longjmp(jmp_buf env, int val) __attribute__((noreturn));

#endif
