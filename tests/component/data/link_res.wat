;; link_res.wat: a component using a host resource type: constructed by a
;; host function, read through a borrow, dropped (test_link.c).
(component
  (import "test:demo/res" (instance $r
    (export "thing" (type $t (sub resource)))
    (export "[constructor]thing" (func (param "v" u32) (result (own $t))))
    (export "[method]thing.value" (func (param "self" (borrow $t)) (result u32)))))
  (alias export $r "thing" (type $thing))
  (core func $new (canon lower (func $r "[constructor]thing")))
  (core func $value (canon lower (func $r "[method]thing.value")))
  (core func $drop (canon resource.drop $thing))
  (core module $M
    (import "r" "new" (func $new (param i32) (result i32)))
    (import "r" "value" (func $value (param i32) (result i32)))
    (import "r" "drop" (func $drop (param i32)))
    (func (export "roundtrip") (param i32) (result i32)
      (local $h i32) (local $v i32)
      (local.set $h (call $new (local.get 0)))
      (local.set $v (call $value (local.get $h)))
      (call $drop (local.get $h))
      (local.get $v)))
  (core instance $m (instantiate $M (with "r" (instance
    (export "new" (func $new)) (export "value" (func $value)) (export "drop" (func $drop))))))
  (func (export "roundtrip") (param "v" u32) (result u32) (canon lift (core func $m "roundtrip"))))
