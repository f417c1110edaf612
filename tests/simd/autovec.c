/*
 * autovec.c: loops that clang vectorises with -msimd128 -O2. Built for
 * wasm32-wasi (where the loops become SIMD instructions) and natively with
 * gcc; run.sh requires the same output from both. The arithmetic is exact
 * in both builds: integer wrap-around, saturation written as clamps, and
 * float operations that are not reassociated.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N 4099 /* not a multiple of any vector width: the tails run too */

static uint8_t a8[N], b8[N], r8[N];
static int16_t a16[N], b16[N], r16[N];
static int32_t a32[N], b32[N], r32[N];
static int64_t a64[N], r64[N];
static float af[N], bf[N], rf[N];
static double ad[N], rd[N];

/* FNV-1a over a buffer, so every output byte is checked. */
static uint32_t hash(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

/* Deterministic inputs with negative values, extremes and repeats. */
static void fill(void)
{
	uint32_t x = 12345;
	for (int i = 0; i < N; i++) {
		x = x * 1103515245u + 12345u;
		a8[i] = (uint8_t)(x >> 16);
		b8[i] = (uint8_t)(x >> 8);
		a16[i] = (int16_t)(x >> 7);
		b16[i] = (int16_t)(x >> 3);
		a32[i] = (int32_t)x;
		b32[i] = (int32_t)(x >> 5) - 50000;
		a64[i] = (int64_t)x * 977 - (int64_t)i * 1000003;
		af[i] = (float)(int32_t)x / 65536.0f;
		bf[i] = (float)(i % 97) - 48.5f;
		ad[i] = (double)(int32_t)x / 3.0;
	}
}

__attribute__((noinline)) static void u8_ops(void)
{
	for (int i = 0; i < N; i++) { /* saturating add, average, min */
		unsigned s = a8[i] + b8[i];
		r8[i] = s > 255 ? 255 : (uint8_t)s;
	}
	printf("u8 add_sat   %08x\n", hash(r8, N));
	for (int i = 0; i < N; i++)
		r8[i] = (uint8_t)((a8[i] + b8[i] + 1) >> 1);
	printf("u8 avgr      %08x\n", hash(r8, N));
	for (int i = 0; i < N; i++)
		r8[i] = a8[i] < b8[i] ? a8[i] : b8[i];
	printf("u8 min       %08x\n", hash(r8, N));
	for (int i = 0; i < N; i++)
		r8[i] = (uint8_t)((a8[i] ^ b8[i]) << 1) | (a8[i] >> 7);
	printf("u8 bits      %08x\n", hash(r8, N));
}

__attribute__((noinline)) static void i16_ops(void)
{
	for (int i = 0; i < N; i++)
		r16[i] = (int16_t)(a16[i] * b16[i]);
	printf("i16 mul      %08x\n", hash(r16, sizeof(r16)));
	for (int i = 0; i < N; i++) {
		int s = a16[i] - b16[i];
		r16[i] = (int16_t)(s < -32768 ? -32768 : s > 32767 ? 32767 : s);
	}
	printf("i16 sub_sat  %08x\n", hash(r16, sizeof(r16)));
	for (int i = 0; i < N; i++)
		r16[i] = (int16_t)(a16[i] < 0 ? -a16[i] : a16[i]);
	printf("i16 abs      %08x\n", hash(r16, sizeof(r16)));
	for (int i = 0; i < N; i++)
		r16[i] = (int16_t)(a16[i] >> 3);
	printf("i16 shr_s    %08x\n", hash(r16, sizeof(r16)));
}

__attribute__((noinline)) static void i32_ops(void)
{
	int32_t dot = 0;
	for (int i = 0; i < N; i++) /* widening multiply-accumulate */
		dot += (int32_t)a16[i] * b16[i];
	printf("i16 dot      %d\n", dot);
	for (int i = 0; i < N; i++)
		r32[i] = (int32_t)((uint32_t)a32[i] * 3u + (uint32_t)b32[i]);
	printf("i32 madd     %08x\n", hash(r32, sizeof(r32)));
	for (int i = 0; i < N; i++)
		r32[i] = a32[i] > b32[i] ? a32[i] : b32[i];
	printf("i32 max      %08x\n", hash(r32, sizeof(r32)));
	for (int i = 0; i < N; i++)
		r32[i] = (int32_t)a8[i] - (int32_t)b8[i];
	printf("u8->i32 sub  %08x\n", hash(r32, sizeof(r32)));
	uint32_t sum = 0;
	for (int i = 0; i < N; i++)
		sum += (uint32_t)a32[i] >> (i & 31);
	printf("i32 shr sum  %u\n", sum);
}

__attribute__((noinline)) static void i64_ops(void)
{
	for (int i = 0; i < N; i++)
		r64[i] = a64[i] * 7 + (int64_t)a32[i];
	printf("i64 madd     %08x\n", hash(r64, sizeof(r64)));
	int64_t s = 0;
	for (int i = 0; i < N; i++)
		s += a64[i] >> 2;
	printf("i64 sum      %lld\n", (long long)s);
}

__attribute__((noinline)) static void float_ops(void)
{
	for (int i = 0; i < N; i++)
		rf[i] = af[i] * 0.5f + bf[i];
	printf("f32 axpy     %08x\n", hash(rf, sizeof(rf)));
	for (int i = 0; i < N; i++)
		rf[i] = af[i] / (bf[i] == 0.0f ? 1.0f : bf[i]);
	printf("f32 div      %08x\n", hash(rf, sizeof(rf)));
	for (int i = 0; i < N; i++)
		rf[i] = __builtin_fabsf(af[i]) - bf[i];
	printf("f32 abs-sub  %08x\n", hash(rf, sizeof(rf)));
	for (int i = 0; i < N; i++)
		rf[i] = (float)a32[i];
	printf("i32->f32     %08x\n", hash(rf, sizeof(rf)));
	for (int i = 0; i < N; i++)
		rd[i] = ad[i] * ad[i] - 1.0;
	printf("f64 sq       %08x\n", hash(rd, sizeof(rd)));
	for (int i = 0; i < N; i++)
		r32[i] = (int32_t)(bf[i] * 1000.0f);
	printf("f32->i32     %08x\n", hash(r32, sizeof(r32)));
}

/* Byte search, the kind of loop string code compiles to. */
__attribute__((noinline)) static void byte_ops(void)
{
	static char text[N + 1];
	int count = 0;
	for (int i = 0; i < N; i++)
		text[i] = (char)('a' + a8[i] % 26);
	for (int i = 0; i < N; i++)
		count += text[i] == 'e';
	for (int i = 0; i < N; i++)
		text[i] = (char)(text[i] >= 'a' && text[i] <= 'm' ? text[i] - 32 : text[i]);
	printf("bytes        %d %08x\n", count, hash(text, N));
}

int main(void)
{
	fill();
	u8_ops();
	i16_ops();
	i32_ops();
	i64_ops();
	float_ops();
	byte_ops();
	return 0;
}
