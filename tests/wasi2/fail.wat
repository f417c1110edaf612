;; A wasi:cli/run command whose run returns err: exit status 1.
(component
  (core module $M
    (func (export "run") (result i32) i32.const 1))
  (core instance $mi (instantiate $M))
  (func $run (result (result)) (canon lift (core func $mi "run")))
  (instance $ri (export "run" (func $run)))
  (export "wasi:cli/run@0.2.3" (instance $ri)))
