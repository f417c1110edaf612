// throw.cpp: C++ exceptions as clang -fwasm-exceptions compiles them:
// typed handlers, a handler that rethrows, destructors on the way out,
// catch (...), exceptions through virtual calls. tests/eh/run.sh builds
// it natively and for wasm32-wasi and compares the outputs, when the
// wasm32 C++ runtime has exception support (Debian 12's libc++abi for
// wasm32 is built without it: then the case is skipped).
#include <cstdio>
#include <stdexcept>

static int dtors;

struct Guard {
	~Guard() { dtors++; }
};

struct Base {
	virtual int run(int x) = 0;
	virtual ~Base() {}
};

struct Thrower : Base {
	int run(int x) override
	{
		if (x % 3 == 0)
			throw x;
		if (x % 5 == 0)
			throw std::runtime_error("five");
		return x;
	}
};

static int deep(Base &b, int depth, int x)
{
	Guard g;
	return depth ? deep(b, depth - 1, x) : b.run(x);
}

static int only_ints(Base &b, int x)
{
	try {
		return deep(b, 3, x);
	} catch (int v) {
		return -v;
	}
}

int main()
{
	Thrower t;
	long sum = 0;
	int errors = 0;
	for (int i = 1; i <= 3000; i++) {
		try {
			sum += only_ints(t, i);
		} catch (const std::exception &e) {
			errors++;
		} catch (...) {
			errors += 1000;
		}
	}
	try {
		try {
			throw std::logic_error("inner");
		} catch (const std::logic_error &) {
			throw;
		}
	} catch (const std::exception &e) {
		std::printf("rethrown: %s\n", e.what());
	}
	std::printf("sum %ld errors %d destructors %d\n", sum, errors, dtors);
	return 0;
}
