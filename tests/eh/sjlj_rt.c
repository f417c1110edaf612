/*
 * sjlj_rt.c: the three functions clang's wasm setjmp/longjmp lowering
 * (-fwasm-exceptions -mllvm -wasm-enable-sjlj) calls, for wasi-libc
 * builds that lack them. The lowering gives each invocation of a function
 * that calls setjmp an identity and each setjmp call in it a label; a
 * longjmp throws the tag __c_longjmp (tag 1 of __builtin_wasm_throw) with
 * the address of {env, val}; every such invocation catches it and asks
 * __wasm_setjmp_test whether env was set by itself, and which setjmp.
 */
#include <setjmp.h>

void __wasm_setjmp(void *env, unsigned label, void *invocation);
unsigned __wasm_setjmp_test(void *env, void *invocation);
void __wasm_longjmp(void *env, int val);

void __wasm_setjmp(void *env, unsigned label, void *invocation)
{
	struct eh_jmp_buf *jb = env;
	jb->invocation = invocation;
	jb->label = label;
}

unsigned __wasm_setjmp_test(void *env, void *invocation)
{
	const struct eh_jmp_buf *jb = env;
	return jb->invocation == invocation ? jb->label : 0;
}

void __wasm_longjmp(void *env, int val)
{
	struct eh_jmp_buf *jb = env;
	jb->env = env;
	jb->val = val ? val : 1;
	__builtin_wasm_throw(1, &jb->env);
}
