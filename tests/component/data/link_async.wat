;; link_async.wat: async calls that complete synchronously (test_link.c):
;; async-lifted functions giving their result with task.return (or not, or
;; twice), and an async lower calling one, which returns RETURNED (2) with
;; the result at its out-pointer.
(component
  (component $C
    (core module $M
      (import "" "task.return" (func $ret (param i32)))
      (func (export "good") (param i32) (call $ret (i32.add (local.get 0) (i32.const 1))))
      (func (export "none") (param i32))
      (func (export "twice") (param i32) (call $ret (i32.const 1)) (call $ret (i32.const 2))))
    (canon task.return (result u32) (core func $ret))
    (core instance $m (instantiate $M (with "" (instance (export "task.return" (func $ret))))))
    (func (export "good") async (param "x" u32) (result u32) (canon lift (core func $m "good") async))
    (func (export "none") async (param "x" u32) (result u32) (canon lift (core func $m "none") async))
    (func (export "twice") async (param "x" u32) (result u32) (canon lift (core func $m "twice") async)))
  (component $D
    (import "c" (instance $c (export "good" (func async (param "x" u32) (result u32)))))
    (core module $Mem (memory (export "mem") 1))
    (core instance $mem (instantiate $Mem))
    (core func $good (canon lower (func $c "good") async (memory (core memory $mem "mem"))))
    (core module $N
      (import "" "mem" (memory 1))
      (import "" "good" (func $good (param i32 i32) (result i32)))
      (func (export "run") (param i32) (result i32)
        (if (i32.ne (call $good (local.get 0) (i32.const 8)) (i32.const 2)) (then unreachable))
        (i32.load (i32.const 8))))
    (core instance $n (instantiate $N (with "" (instance
      (export "mem" (memory $mem "mem")) (export "good" (func $good))))))
    (func (export "run") (param "x" u32) (result u32) (canon lift (core func $n "run"))))
  (instance $c (instantiate $C))
  (instance $d (instantiate $D (with "c" (instance $c))))
  (export "good" (func $c "good"))
  (export "none" (func $c "none"))
  (export "twice" (func $c "twice"))
  (export "run" (func $d "run")))
