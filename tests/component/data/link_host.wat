;; link_host.wat: a component importing a versioned host interface (two
;; functions, one passing strings through the canonical ABI) and exporting
;; functions that call them (test_link.c).
(component
  (import "test:demo/host@0.2.4" (instance $h
    (export "add" (func (param "a" u32) (param "b" u32) (result u32)))
    (export "greet" (func (param "name" string) (result string)))))
  (core module $Libc
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $next) (i32.sub (local.get 2) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get 2))))
      (global.set $next (i32.add (local.get $p) (local.get 3)))
      (local.get $p)))
  (core instance $libc (instantiate $Libc))
  (core func $add (canon lower (func $h "add")))
  (core func $greet (canon lower (func $h "greet")
    (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
  (core module $M
    (import "h" "add" (func $add (param i32 i32) (result i32)))
    (import "h" "greet" (func $greet (param i32 i32 i32)))
    (func (export "twice-add") (param i32 i32) (result i32)
      (i32.mul (call $add (local.get 0) (local.get 1)) (i32.const 2)))
    (func (export "greet") (param i32 i32) (result i32)
      (call $greet (local.get 0) (local.get 1) (i32.const 16))
      (i32.const 16)))
  (core instance $m (instantiate $M
    (with "h" (instance (export "add" (func $add)) (export "greet" (func $greet))))))
  (func $ta (export "twice-add") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $m "twice-add")))
  (func (export "greet") (param "name" string) (result string)
    (canon lift (core func $m "greet")
      (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
  (instance $api (export "twice-add" (func $ta)))
  (export "api" (instance $api)))
