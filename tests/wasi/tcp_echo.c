/* TCP echo over a --tcplisten socket (fd 3): accept one connection, read
 * until the peer shuts down its side, send everything back, shut down.
 *! tcp: hello over tcp
 */
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

int main(void)
{
	static uint8_t buf[4096 + 2];
	size_t have = 0;
	__wasi_fd_t conn;
	__wasi_errno_t e = __wasi_sock_accept(3, 0, &conn);

	if (e) {
		printf("accept: %u\n", e);
		return 1;
	}
	while (sizeof(buf) - have > 2) {	/* two iovecs: a short one, then the rest */
		__wasi_iovec_t iov[2] = { { buf + have, 2 }, { buf + have + 2,
							  sizeof(buf) - have - 2 } };
		__wasi_size_t n = 0;
		__wasi_roflags_t ro;

		e = __wasi_sock_recv(conn, iov, 2, 0, &n, &ro);
		if (e || n == 0)
			break;
		have += n;
	}
	/* sent back as three pieces in one call: all of it must go */
	__wasi_ciovec_t out[3] = { { buf, have / 3 }, { buf + have / 3, 0 },
				   { buf + have / 3, have - have / 3 } };
	__wasi_size_t sent = 0;

	e = __wasi_sock_send(conn, out, 3, 0, &sent);
	printf("received %zu bytes, sent %zu (%u)\n", have, (size_t)sent, e);
	printf("shutdown: %u\n", __wasi_sock_shutdown(conn, __WASI_SDFLAGS_RD | __WASI_SDFLAGS_WR));
	printf("shutdown bad how: %u\n", __wasi_sock_shutdown(conn, 0));
	printf("accept on a connection: %u\n", __wasi_sock_accept(conn, 0, &conn));
	return 0;
}
