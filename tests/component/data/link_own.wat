;; link_own.wat: a component defining a resource type: each instance's is a
;; different type (test_link.c).
(component
  (type $R (resource (rep i32)))
  (core func $new (canon resource.new $R))
  (core module $M
    (import "r" "new" (func $new (param i32) (result i32)))
    (func (export "make") (param i32) (result i32) (call $new (local.get 0)))
    (func (export "peek") (param i32) (result i32) (local.get 0)))
  (core instance $m (instantiate $M (with "r" (instance (export "new" (func $new))))))
  (export $RE "r" (type $R))
  (func (export "make") (param "v" u32) (result (own $RE)) (canon lift (core func $m "make")))
  (func (export "peek") (param "h" (borrow $RE)) (result u32) (canon lift (core func $m "peek"))))
