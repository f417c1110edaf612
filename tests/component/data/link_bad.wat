;; link_bad.wat: like link_user.wat, but its import's function type differs
;; from what link_host.wat's "api" exports (test_link.c: unlinkable).
(component
  (import "test:demo/api@1.0.0" (instance $a
    (export "twice-add" (func (param "a" u32) (param "b" u32) (result u64)))))
  (core func $ta (canon lower (func $a "twice-add")))
  (core module $M
    (import "a" "ta" (func $ta (param i32 i32) (result i64))))
  (core instance $m (instantiate $M (with "a" (instance (export "ta" (func $ta)))))))
