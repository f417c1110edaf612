/*
** lexer: a table-free state machine that splits generated C-like source
** into tokens.
**
** One switch on the state and one on the character class per byte: the
** engine sees br_table dispatch and short, unpredictable branches, the shape
** of a parser's or decoder's inner loop.
*/
#include "bench.h"

#define LEX_MAX (4 * 1024 * 1024)

enum { S_START, S_IDENT, S_NUMBER, S_STRING, S_ESCAPE, S_SLASH, S_COMMENT, S_OP };
enum { T_IDENT, T_NUMBER, T_STRING, T_COMMENT, T_OP, T_KINDS };

static uint8_t lex_src[LEX_MAX];

static const char *const lex_frags[16] = {
	"int ", "x", "= ", "42", "; ", "\"str\\\"ing\" ", "/* note */ ", "(", ")",
	"{\n", "}\n", "+= ", "foo_bar ", "0x1f ", "return ", "<<= ",
};

static void lex_fill(int32_t n)
{
	uint32_t s = 0xc0ffee11u;
	int32_t i = 0;

	while (i < n - 1) {
		const char *f = lex_frags[bench_rand(&s) & 15];

		for (; *f && i < n - 1; f++)
			lex_src[i++] = (uint8_t)*f;
	}
	lex_src[i] = ' ';
}

static inline int lex_alpha(uint32_t c)
{
	return (c | 0x20) - 'a' < 26 || c == '_';
}

static inline int lex_digit(uint32_t c)
{
	return c - '0' < 10;
}

/* Tokenise n bytes; counts[kind] gets the number of tokens of each kind and
** the return value mixes in each token's length. */
static uint32_t lex_run(int32_t n, uint32_t counts[T_KINDS])
{
	uint32_t mix = 0;
	int32_t state = S_START, start = 0;

	for (int32_t i = 0; i < n; i++) {
		uint32_t c = lex_src[i];
		int32_t kind = -1;

		switch (state) {
		case S_START:
			start = i;
			if (lex_alpha(c))
				state = S_IDENT;
			else if (lex_digit(c))
				state = S_NUMBER;
			else if (c == '"')
				state = S_STRING;
			else if (c == '/')
				state = S_SLASH;
			else if (c > ' ')
				state = S_OP;
			break;
		case S_IDENT:
		case S_NUMBER:
			if (!lex_alpha(c) && !lex_digit(c)) {
				kind = state == S_IDENT ? T_IDENT : T_NUMBER;
				i--;
			}
			break;
		case S_STRING:
			if (c == '\\')
				state = S_ESCAPE;
			else if (c == '"')
				kind = T_STRING;
			break;
		case S_ESCAPE:
			state = S_STRING;
			break;
		case S_SLASH:
			if (c == '*') {
				state = S_COMMENT;
				break;
			}
			state = S_OP;
			/* fall through */
		case S_OP:
			if (c != '=' && c != '<' && c != '>' && c != '+') {
				kind = T_OP;
				i--;
			}
			break;
		case S_COMMENT:
			if (c == '/' && lex_src[i - 1] == '*')
				kind = T_COMMENT;
			break;
		}
		if (kind >= 0) {
			counts[kind]++;
			mix = bench_rotl32(mix, 3) ^ (uint32_t)(i - start + 1) ^ (uint32_t)kind << 8;
			state = S_START;
		}
	}
	return mix;
}

/* Tokenise the same text `reps` times, each pass stopping up to 15 bytes
** short of the end, so the passes do not all produce the same result. */
BENCH_EXPORT(lexer)
int32_t lexer(int32_t n, int32_t reps)
{
	uint32_t counts[T_KINDS] = { 0 }, acc = 0;

	n = bench_clamp(n, 16, LEX_MAX);
	lex_fill(n);
	for (int32_t r = 0; r < reps; r++)
		acc = acc * 7 + lex_run(n - (r & 15), counts);
	for (int32_t k = 0; k < T_KINDS; k++)
		acc = acc * 31 + counts[k];
	return (int32_t)acc;
}
