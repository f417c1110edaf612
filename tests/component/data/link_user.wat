;; link_user.wat: a component importing an instance another component
;; exports (test_link.c links link_host.wat's "api" into it).
(component
  (import "test:demo/api@1.0.0" (instance $a
    (export "twice-add" (func (param "a" u32) (param "b" u32) (result u32)))))
  (core func $ta (canon lower (func $a "twice-add")))
  (core module $M
    (import "a" "ta" (func $ta (param i32 i32) (result i32)))
    (func (export "run") (result i32) (i32.add (call $ta (i32.const 20) (i32.const 0)) (i32.const 2))))
  (core instance $m (instantiate $M (with "a" (instance (export "ta" (func $ta))))))
  (func (export "run") (result u32) (canon lift (core func $m "run"))))
