;; libc.wat: a memory and a bump-allocating realloc for the canonical ABI
;; tests (test_canon.c), as a component's "libc" core module would export.
(module
  (memory (export "mem") 1)
  (global $next (mut i32) (i32.const 4096))
  (global $calls (mut i32) (i32.const 0))
  (func (export "realloc") (param $old i32) (param $old_size i32) (param $align i32)
        (param $size i32) (result i32)
    (local $p i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    ;; p = next rounded up to align
    (local.set $p (i32.and (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get $align))))
    (global.set $next (i32.add (local.get $p) (local.get $size)))
    (if (local.get $old)
      (then (memory.copy (local.get $p) (local.get $old)
              (select (local.get $old_size) (local.get $size)
                      (i32.lt_u (local.get $old_size) (local.get $size))))))
    (local.get $p))
  (func (export "calls") (result i32) (global.get $calls)))
