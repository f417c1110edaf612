;; eh.wat: exception handling through the embedding API, for test_eh.c.
;; It uses try_table, which Debian's wat2wasm (wabt 1.0.32) cannot read:
;; assembled with the jco that `make spec3` installs (tests/spec3/jco.sh),
;;   build/jco/node_modules/.bin/jco parse eh.wat -o eh.wasm
;; and embedded with `xxd -i` as eh_wasm.h.
(module
  (import "host" "tag" (tag $host_tag (param i32)))
  ;; calls export "inner" back through wr_call; passes on what it returns
  (import "host" "call" (func $host_call (param i32) (result i32)))
  ;; throws $host_tag with its argument (wr_hostcall_throw)
  (import "host" "throw" (func $host_throw (param i32)))
  (tag $e (export "e") (param i32))
  (tag $big (export "big") (param i64 f64 i32))
  (global $keep (mut exnref) (ref.null exn))

  ;; Throws $e with the argument unless it is 0; then returns 7.
  (func $inner (export "inner") (param i32) (result i32)
    (if (local.get 0) (then (throw $e (local.get 0))))
    (i32.const 7))

  ;; wasm -> host -> wasm: an exception the inner call does not catch
  ;; comes back through the host function and is caught here.
  (func (export "through_host") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (call $host_call (local.get 0)))
      (return))
    (i32.add (i32.const 1000)))

  ;; A host function's exception, caught by its tag.
  (func (export "host_throw_caught") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $host_tag $h) (call $host_throw (local.get 0)))
      (i32.const -1)))

  (func (export "uncaught") (throw $e (i32.const 42)))

  (func (export "uncaught_big")
    (throw $big (i64.const -2) (f64.const 2.5) (i32.const 9)))

  ;; A trap is not an exception: catch_all does not see it.
  (func (export "trap_in_try") (result i32)
    (block $h (try_table (catch_all $h) (unreachable)))
    (i32.const 1))

  ;; n exceptions caught with catch_ref; every seventh is kept in a
  ;; global, the rest only in a local that the next one overwrites.
  (func (export "churn") (param $n i32) (result i32)
    (local $i i32) (local $x exnref)
    (loop $l
      (block $h (result i32 exnref)
        (try_table (catch_ref $e $h) (throw $e (local.get $i)))
        (unreachable))
      (local.set $x)
      (drop)
      (if (i32.eqz (i32.rem_u (local.get $i) (i32.const 7)))
        (then (global.set $keep (local.get $x))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $i))

  ;; Throw again the exception kept by churn, catch it: its payload.
  (func (export "rethrow_kept") (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (throw_ref (global.get $keep)))
      (i32.const -1)))

  (func (export "get_kept") (result exnref) (global.get $keep))
  (func (export "throw_this") (param exnref) (throw_ref (local.get 0)))
  (func (export "throw_null") (throw_ref (ref.null exn)))

  ;; Unwinding through n frames, then caught.
  (func $deep (param i32)
    (if (local.get 0)
      (then (call $deep (i32.sub (local.get 0) (i32.const 1))))
      (else (throw $e (i32.const 5)))))
  (func (export "deep") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $deep (local.get 0)))
      (i32.const -1)))

  ;; Leaves its locals' slots dirty for the next call at the same base.
  (func (export "dirty") (param i32) (result i32) (local i32 i32)
    (local.set 1 (i32.const 99)) (local.set 2 (i32.const 99)) (local.get 0))

  ;; A catch lands at $b's end before local 1 is written: 0 there.
  (func (export "catch_before") (param i32) (result i32) (local i32 i32)
    (block $b
      (try_table (catch_all $b) (drop (call $inner (local.get 0))))
      (local.set 1 (i32.const 5)))
    (local.get 1))

  ;; A legacy catch starts as its try did: local 1 unwritten after it.
  (func (export "legacy_before") (param i32) (result i32) (local i32 i32)
    try
      (drop (call $inner (local.get 0)))
      (local.set 1 (i32.const 5))
    catch_all
    end
    (local.get 1))

  ;; A catch that jumps back to a loop: fuel must run out.
  (func (export "spin")
    (loop $l (try_table (catch_all $l) (throw $e (i32.const 1)))))
)
