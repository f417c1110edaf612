;; eh_table.wat: eh_legacy.wat's program written with the exception
;; handling of Wasm 3.0 (try_table, catch_ref, catch_all_ref, throw_ref):
;; it must print the same, expected.txt (tests/eh/run.sh). A rethrow is a
;; throw_ref of the exnref a catch_ref kept; a delegate, a clause for
;; another tag that lets the exception by.
;;
;; Like __cxa_throw, $throw writes an exception object [type | value] into
;; linear memory and throws its address with the tag $cpp; a handler for
;; one type looks at the object and, if it is another type, rethrows, as
;; the code after a C++ personality function does; a destructor to run on
;; the way out is a catch_all that runs it and rethrows.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "t1 t2 t3 t4 t5 t6 t7 t8 t9 t10 t11 ")
  (tag $cpp (param i32))
  (tag $other (param i32))
  (global $nalloc (mut i32) (i32.const 0))
  (global $dtors (mut i32) (i32.const 0))
  (type $v (func))
  (table funcref (elem $throw_b66))

  ;; ---- output ----
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func $print_num (param $n i32)
    (local $p i32) (local $u i32)
    (local.set $p (i32.const 63))
    (i32.store8 (i32.const 63) (i32.const 10))
    (local.set $u (local.get $n))
    (if (i32.lt_s (local.get $n) (i32.const 0))
      (then (local.set $u (i32.sub (i32.const 0) (local.get $n)))))
    (loop $l
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $u) (i32.const 10))))
      (local.set $u (i32.div_u (local.get $u) (i32.const 10)))
      (br_if $l (local.get $u)))
    (if (i32.lt_s (local.get $n) (i32.const 0))
      (then
        (local.set $p (i32.sub (local.get $p) (i32.const 1)))
        (i32.store8 (local.get $p) (i32.const 45))))
    (call $print (local.get $p) (i32.sub (i32.const 64) (local.get $p))))
  ;; "tK " then the value: names are 3 bytes from 100 (t10, t11 take 4)
  (func $report (param $k i32) (param $v i32)
    (if (i32.lt_u (local.get $k) (i32.const 10))
      (then (call $print (i32.add (i32.const 97) (i32.mul (local.get $k) (i32.const 3))) (i32.const 3)))
      (else (call $print (i32.add (i32.const 127) (i32.mul (i32.sub (local.get $k) (i32.const 10)) (i32.const 4)))
                         (i32.const 4))))
    (call $print_num (local.get $v)))

  ;; ---- throwing ----
  ;; __cxa_allocate_exception + __cxa_throw: objects in a ring at 4096.
  (func $throw (param $type i32) (param $val i32)
    (local $p i32)
    (local.set $p (i32.add (i32.const 4096)
      (i32.shl (i32.and (global.get $nalloc) (i32.const 1023)) (i32.const 3))))
    (global.set $nalloc (i32.add (global.get $nalloc) (i32.const 1)))
    (i32.store (local.get $p) (local.get $type))
    (i32.store offset=4 (local.get $p) (local.get $val))
    (throw $cpp (local.get $p)))
  (func $throw_b66 (call $throw (i32.const 2) (i32.const 66)))

  ;; 1: catch (A &e) { return e.value; }
  (func $t1 (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $cpp $h)
        (call $throw (i32.const 1) (i32.const 7)) (i32.const 0))
      (return))
    (i32.load offset=4))

  ;; 2: a handler for A sees a B and throws it on; the caller's handler
  ;; for anything takes it: type * 100 + value.
  (func $only_a (result i32)
    (local $p i32) (local $x exnref)
    (block $h (result i32 exnref)
      (try_table (result i32) (catch_ref $cpp $h)
        (call $throw (i32.const 2) (i32.const 22)) (i32.const 0))
      (return))
    (local.set $x)
    (local.set $p)
    (if (i32.ne (i32.load (local.get $p)) (i32.const 1)) (then (throw_ref (local.get $x))))
    (i32.const -1))
  (func $t2 (result i32)
    (local $p i32)
    (block $h (result i32)
      (try_table (result i32) (catch $cpp $h) (call $only_a))
      (return))
    (local.set $p)
    (i32.add (i32.mul (i32.load (local.get $p)) (i32.const 100))
             (i32.load offset=4 (local.get $p))))

  ;; 3: destructors in eleven frames run on the way out.
  (func $level (param $n i32)
    (block $h (result exnref)
      (try_table (catch_all_ref $h)
        (if (local.get $n)
          (then (call $level (i32.sub (local.get $n) (i32.const 1))))
          (else (call $throw (i32.const 3) (i32.const 33)))))
      (return))
    (global.set $dtors (i32.add (global.get $dtors) (i32.const 1)))
    (throw_ref))
  (func $t3 (result i32)
    (global.set $dtors (i32.const 0))
    (block $h (result i32)
      (try_table (catch $cpp $h) (call $level (i32.const 10)))
      (return (i32.const 0)))
    (drop)
    (global.get $dtors))

  ;; 4: inside a handler, a call that throws; the enclosing handler takes it.
  (func $t4 (result i32)
    (block $outer (result i32)
      (try_table (result i32) (catch $cpp $outer)
        (block $h (result i32)
          (try_table (result i32) (catch $cpp $h)
            (call $throw (i32.const 1) (i32.const 4)) (i32.const 0))
          (return))
        (drop)
        (call $throw (i32.const 2) (i32.const 40))
        (i32.const -1))
      (return))
    (i32.load offset=4))

  ;; 5: a handler of another tag lets the exception by.
  (func $t5 (result i32)
    (block $a (result i32)
      (try_table (result i32) (catch $cpp $a)
        (block $b (result i32)
          (try_table (result i32) (catch $other $b)
            (call $throw (i32.const 1) (i32.const 5)) (i32.const 0))
          (return))
        (drop)
        (i32.const -2))
      (return))
    (i32.load offset=4))

  ;; 6: thrown through call_indirect (a virtual call).
  (func $t6 (result i32)
    (block $h (result i32)
      (try_table (catch $cpp $h) (call_indirect (type $v) (i32.const 0)))
      (return (i32.const 0)))
    (i32.load offset=4))

  ;; 7: 100000 throws, every third through two destructor frames; the
  ;; sum of the values caught (wrapping), then the destructors run.
  (func $t7 (result i32)
    (local $i i32) (local $sum i32)
    (global.set $dtors (i32.const 0))
    (loop $l
      (local.set $sum (i32.add (local.get $sum)
        (block $done (result i32)
          (block $h (result i32)
            (try_table (result i32) (catch $cpp $h)
              (if (i32.rem_u (local.get $i) (i32.const 3))
                (then (call $throw (i32.const 1) (i32.mul (local.get $i) (i32.const 7))))
                (else (call $level (i32.const 1))))
              (i32.const 0))
            (br $done))
          (i32.load offset=4))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 100000))))
    (call $report (i32.const 8) (global.get $dtors))
    (local.get $sum))

  ;; 9: an exception thrown and caught inside a handler; then the first
  ;; one is thrown again, and the caller catches it.
  (func $t9 (result i32)
    (local $p i32) (local $q i32) (local $x exnref)
    (block $outer (result i32)
      (try_table (result i32) (catch $cpp $outer)
        (block $h (result i32 exnref)
          (try_table (result i32) (catch_ref $cpp $h)
            (call $throw (i32.const 1) (i32.const 9)) (i32.const 0))
          (return))
        (local.set $x)
        (local.set $p)
        (block $h2 (result i32)
          (try_table (catch $cpp $h2) (call $throw (i32.const 2) (i32.const 90)))
          (unreachable))
        (local.set $q)
        (throw_ref (local.get $x)))
      (return))
    (local.set $p)
    (i32.add (i32.load offset=4 (local.get $p)) (i32.load offset=4 (local.get $q))))

  ;; 10: catch (...) with the values of an enclosing computation kept.
  (func $t10 (result i32)
    (local $x i64)
    (local.set $x (i64.const 1000))
    (i32.wrap_i64 (i64.add (local.get $x)
      (block $done (result i64)
        (block $h
          (try_table (result i64) (catch_all $h)
            (call $throw (i32.const 3) (i32.const 1)) (i64.const 0))
          (br $done))
        (i64.const 10)))))

  ;; 11: a handler that branches back to a loop head, until a counter
  ;; runs out.
  (func $t11 (result i32)
    (local $n i32)
    (i32.const 0)
    (loop $again (param i32)
      (drop)
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (if (i32.lt_u (local.get $n) (i32.const 51))
        (then (try_table (catch $cpp $again) (call $throw (i32.const 1) (local.get $n))))))
    (i32.sub (local.get $n) (i32.const 1)))

  ;; An exception no one catches: `wrun --invoke uncaught` reports it.
  (func (export "uncaught") (call $throw (i32.const 1) (i32.const 0)))

  (func (export "_start")
    (call $report (i32.const 1) (call $t1))
    (call $report (i32.const 2) (call $t2))
    (call $report (i32.const 3) (call $t3))
    (call $report (i32.const 4) (call $t4))
    (call $report (i32.const 5) (call $t5))
    (call $report (i32.const 6) (call $t6))
    (call $report (i32.const 7) (call $t7))
    (call $report (i32.const 9) (call $t9))
    (call $report (i32.const 10) (call $t10))
    (call $report (i32.const 11) (call $t11)))
)
