/*
 * test_audit.c: the pieces of the audit log without a broker: SHA-256
 * against the FIPS 180-4 examples, the JSON string rule (UTF-8 kept,
 * invalid bytes replaced and given back in _hex, controls and separators
 * escaped), the line builder's bounds, the errno names against the
 * preview1 definition, the denial rule, and whole records at their
 * largest, parsed back with cJSON.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "brk.h"
#include "brk_json.h"
#include "brk_sha256.h"
#include "sandbox.h"
#include "wasi_impl.h"

#define WITX "../shared/reference/wasi-preview1/typenames.witx"

/* SHA-256 of len bytes of s fed in chunks of step, as lowercase hex. */
static void sha_hex(const void *s, size_t len, size_t step, char out[65])
{
	struct sha256 h;
	uint8_t d[SHA256_LEN];

	sha256_init(&h);
	for (size_t i = 0; i < len; i += step)
		sha256_update(&h, (const char *)s + i, len - i < step ? len - i : step);
	sha256_final(&h, d);
	for (int i = 0; i < SHA256_LEN; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void test_sha256(void **state)
{
	static const char two[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char hex[65], *million = malloc(1000000);

	sha_hex("", 0, 1, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha_hex("abc", 3, 1, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha_hex(two, strlen(two), 7, hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	assert_non_null(million);
	memset(million, 'a', 1000000);
	sha_hex(million, 1000000, 65537, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}

/* jl_str of in (len bytes) must give want and report valid. */
static void str_case(const char *in, size_t len, const char *want, bool valid)
{
	char buf[256];
	struct jline l = { .p = buf, .cap = sizeof(buf) - 1 };

	assert_int_equal(jl_str(&l, (const uint8_t *)in, len), valid);
	assert_true(jl_fits(&l));
	buf[l.n] = 0;
	assert_string_equal(buf, want);
}

static void test_json_strings(void **state)
{
	str_case("caf\xc3\xa9", 5, "\"caf\xc3\xa9\"", true);
	str_case("\xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf", 9, "\"\xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf\"", true);
	str_case("q\"b\\s", 5, "\"q\\\"b\\\\s\"", true);
	str_case("\x01\x1f\x7f", 3, "\"\\u0001\\u001f\\u007f\"", true);
	str_case("a\0b", 3, "\"a\\u0000b\"", true);
	str_case("\xc2\x9b\xc2\xa0", 4, "\"\\u009b\xc2\xa0\"", true);
	str_case("\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xaa", 9, "\"\\u2028\\u2029\xe2\x80\xaa\"", true);
	str_case("\xc0\xaf", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"", false);		/* overlong */
	str_case("\xe0\x80\xaf", 3, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"", false);
	str_case("\xed\xa0\x80", 3, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"", false);	/* surrogate */
	str_case("\xf4\x90\x80\x80", 4,
		 "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"", false);	/* > U+10FFFF */
	str_case("x\xe2\x82", 3, "\"x\xef\xbf\xbd\xef\xbf\xbd\"", false);	/* truncated */
	str_case("\x80z", 2, "\"\xef\xbf\xbdz\"", false);
}

static void test_json_field_hex(void **state)
{
	char buf[128];
	struct jline l = { .p = buf, .cap = sizeof(buf) - 1 };

	jl_raw(&l, "{", 1);
	jl_field(&l, "path", (const uint8_t *)"a\xff", 2);
	jl_field(&l, "path2", (const uint8_t *)"ok", 2);
	jl_raw(&l, "}", 1);
	assert_true(jl_fits(&l));
	buf[l.n] = 0;
	assert_string_equal(buf, "{\"path\":\"a\xef\xbf\xbd\",\"path_hex\":\"61ff\",\"path2\":\"ok\"}");
}

/* Measuring, and a line that does not fit: counted, never stored past cap. */
static void test_json_bounds(void **state)
{
	char buf[16];
	struct jline m = { 0 }, l = { .p = buf, .cap = 8 };

	memset(buf, '#', sizeof(buf));
	jl_kv_u64(&m, "n", UINT64_MAX);
	assert_int_equal(m.n, strlen("\"n\":18446744073709551615"));
	assert_false(jl_fits(&m));
	jl_raw(&l, "0123456", 7);
	jl_raw(&l, "789", 3);
	jl_raw(&l, "x", 1);
	assert_false(jl_fits(&l));
	assert_int_equal(l.n, 11);
	for (size_t i = 7; i < sizeof(buf); i++)
		assert_int_equal(buf[i], '#');
}

/* Every name of the definition, in its order, against the table. */
static void test_errno_names(void **state)
{
	FILE *f = fopen(WITX, "r");
	char line[256], name[64];
	bool in = false;
	int n = 0;

	assert_string_equal(brk_errno_name(76), "ENOTCAPABLE");
	assert_string_equal(brk_errno_name(8), "EBADF");
	assert_null(brk_errno_name(77));
	assert_null(brk_errno_name(-1));
	if (!f)
		skip();
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "(typename $errno"))
			in = true;
		else if (in && line[0] == ')')
			break;
		else if (in && sscanf(line, " $%62[a-z0-9]", name) == 1) {
			char want[66] = "E";

			for (char *c = name; *c; c++)
				*c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
			strcat(want, name);
			assert_string_equal(brk_errno_name(n), want);
			n++;
		}
	}
	fclose(f);
	assert_int_equal(n, BRK_WASI_NERRNO);
}

static void test_denial_rule(void **state)
{
	assert_false(brk_audit_denial(WASI_FN_fd_prestat_get, WASI_EBADF));
	assert_true(brk_audit_denial(WASI_FN_fd_read, WASI_EBADF));
	assert_true(brk_audit_denial(WASI_FN_path_open, WASI_ENOTCAPABLE));
	assert_true(brk_audit_denial(WASI_FN_path_open, WASI_EPERM));
	assert_true(brk_audit_denial(WASI_FN_path_open, WASI_EACCES));
	assert_false(brk_audit_denial(WASI_FN_path_open, WASI_ENOENT));
	assert_false(brk_audit_denial(WASI_FN_path_open, WASI_ESUCCESS));
}

/* Everything written to fd (a memfd) so far, NUL-terminated; *len bytes. */
static char *slurp(int fd, size_t *len)
{
	off_t end = lseek(fd, 0, SEEK_END);
	char *s = malloc((size_t)end + 1);

	assert_non_null(s);
	assert_int_equal(pread(fd, s, (size_t)end, 0), end);
	s[end] = 0;
	*len = (size_t)end;
	return s;
}

/* The one line in fd: complete, alone, parsed. */
static cJSON *one_line(int fd, size_t *len)
{
	char *s = slurp(fd, len);
	cJSON *j;

	assert_true(*len > 2);
	assert_ptr_equal(strchr(s, '\n'), s + *len - 1);
	j = cJSON_Parse(s);
	free(s);
	assert_non_null(j);
	return j;
}

static const char *jstr(const cJSON *j, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

	assert_true(cJSON_IsString(v));
	return v->valuestring;
}

/* path_link with two paths of WASI_PATH_MAX bytes at the worst expansion. */
static void test_call_record_largest(void **state)
{
	size_t size = 4 * WASI_PATH_MAX, len;
	uint8_t *mem = calloc(1, size), p1[WASI_PATH_MAX], p2[WASI_PATH_MAX];
	uint64_t a[7] = { 3, 0, 0, WASI_PATH_MAX, 4, 2 * WASI_PATH_MAX, WASI_PATH_MAX };
	struct brk_audit_rec r = { .fn = "path_link", .err = WASI_ENOTCAPABLE, .denied = true };
	int fd = memfd_create("audit", 0);
	cJSON *j;

	assert_non_null(mem);
	for (size_t i = 0; i < 3 * WASI_PATH_MAX; i++)
		mem[i] = (uint8_t)(1 + i % 31);
	mem[WASI_PATH_MAX - 1] = mem[3 * WASI_PATH_MAX - 1] = 0xff;	/* forces _hex */
	brk_audit_args(WASI_FN_path_link, a, mem, size, &r, p1, p2);
	brk_audit_write(fd, &r);
	j = one_line(fd, &len);
	assert_true(len > 2 * 6 * (WASI_PATH_MAX - 1));
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "denied")));
	assert_string_equal(jstr(j, "errno"), "ENOTCAPABLE");
	assert_int_equal(strlen(jstr(j, "path_hex")), 2 * WASI_PATH_MAX);
	assert_int_equal(strlen(jstr(j, "path2_hex")), 2 * WASI_PATH_MAX);
	assert_int_equal(memcmp(jstr(j, "path"), mem, WASI_PATH_MAX - 1), 0);
	cJSON_Delete(j);
	close(fd);
	free(mem);
}

/* A start record far larger than its stack buffer, and an end record. */
static void test_start_end_records(void **state)
{
	char *host = malloc(20001), *env[1] = { "NAME=secret" }, *text;
	wasi_dir dirs[1] = { { NULL, "/g" } };
	struct sbx_opts o;
	struct brk_audit_start s = { .o = &o, .size = 9, .level = JAIL_FULL };
	struct brk_audit_end e = { .outcome = "violation", .signal = 31, .exit_code = 159,
				   .message = "sandbox violation: \x01" };
	int fd = memfd_create("audit", 0), fd2 = memfd_create("audit", 0);
	size_t len;
	cJSON *j;

	sbx_opts_init(&o);
	assert_non_null(host);
	memset(host, '\x02', 20000);
	host[20000] = 0;
	dirs[0].host = host;
	o.module = "m.wasm", o.wasi.ndirs = 1, o.wasi.dirs = dirs, o.wasi.nenv = 1, o.wasi.env = env;
	brk_audit_start(fd, &s);
	j = one_line(fd, &len);
	assert_true(len > 6 * 20000);
	assert_string_equal(jstr(j, "event"), "start");
	assert_string_equal(jstr(j, "level"), "full");
	text = cJSON_PrintUnformatted(j);
	assert_null(strstr(text, "secret"));
	assert_string_equal(jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "env"), 0), "name"),
			    "NAME");
	free(text);
	cJSON_Delete(j);
	brk_audit_end(fd2, &e);
	j = one_line(fd2, &len);
	assert_string_equal(jstr(j, "message"), "sandbox violation: \x01");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "denied")));
	cJSON_Delete(j);
	close(fd), close(fd2);
	free(host);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_json_strings),
		cmocka_unit_test(test_json_field_hex),
		cmocka_unit_test(test_json_bounds),
		cmocka_unit_test(test_errno_names),
		cmocka_unit_test(test_denial_rule),
		cmocka_unit_test(test_call_record_largest),
		cmocka_unit_test(test_start_end_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
