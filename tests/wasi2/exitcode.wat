;; A native WASI 0.2 command (no adapter): exits through
;; wasi:cli/exit#exit-with-code with 5 when wasi:clocks/monotonic-clock#now
;; is past zero (6 otherwise).
(component
  (import "wasi:cli/exit@0.2.3"
    (instance $e (export "exit-with-code" (func (param "status-code" u8)))))
  (import "wasi:clocks/monotonic-clock@0.2.0"
    (instance $c (export "now" (func (result u64)))))
  (core func $x (canon lower (func $e "exit-with-code")))
  (core func $now (canon lower (func $c "now")))
  (core module $M
    (import "h" "exit" (func $x (param i32)))
    (import "h" "now" (func $now (result i64)))
    (func (export "run") (result i32)
      (call $x (select (i32.const 5) (i32.const 6) (i64.ne (call $now) (i64.const 0))))
      i32.const 0))
  (core instance $mi (instantiate $M
    (with "h" (instance (export "exit" (func $x)) (export "now" (func $now))))))
  (func $run (result (result)) (canon lift (core func $mi "run")))
  (instance $ri (export "run" (func $run)))
  (export "wasi:cli/run@0.2.12" (instance $ri)))
