;; A wasi:cli/run command whose run calls an import wrun does not provide:
;; refused at start, or (-W unknown-imports-trap) trapping when called.
(component
  (import "test:x/missing@1.0.0" (instance $m (export "f" (func))))
  (core module $M
    (import "m" "f" (func $f))
    (func (export "run") (result i32) call $f i32.const 0))
  (core func $fl (canon lower (func $m "f")))
  (core instance $mi (instantiate $M (with "m" (instance (export "f" (func $fl))))))
  (func $run (result (result)) (canon lift (core func $mi "run")))
  (instance $ri (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $ri)))
