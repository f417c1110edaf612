;; main.wat: core code of a component for the canonical ABI tests
;; (test_canon.c): it imports its memory from libc.wat, a lowered host
;; function and the resource built-ins, and exports functions to lift.
(module
  (import "" "mem" (memory 1))
  (import "" "upper" (func $upper (param i32 i32 i32)))
  (import "" "resource.new" (func $new (param i32) (result i32)))
  (import "" "resource.drop" (func $drop (param i32)))
  (import "" "resource.rep" (func $rep (param i32) (result i32)))
  (data (i32.const 16) "hello, world")
  ;; upper("hello, world") through the lowered import; returns the result's
  ;; pointer, its length stored at 36.
  (func (export "run") (result i32)
    (call $upper (i32.const 16) (i32.const 12) (i32.const 32))
    (i32.load (i32.const 32)))
  ;; (param string) (result u32): the string's length in bytes
  (func (export "count") (param i32 i32) (result i32) (local.get 1))
  ;; resource round trip: new, rep, drop; returns the rep seen
  (func (export "make") (param i32) (result i32) (call $new (local.get 0)))
  (func (export "rep") (param i32) (result i32) (call $rep (local.get 0)))
  (func (export "kill") (param i32) (call $drop (local.get 0))))
