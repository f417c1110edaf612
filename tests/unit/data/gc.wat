;; gc.wat: garbage collection (Wasm 3.0) for test_gc.c.
;; Assembled into gc_wasm.h by jco's wasm-tools text parser:
;;   build/jco/node_modules/.bin/jco parse gc.wat -o gc.wasm
(module
  (type $pt (struct (field $x (mut i32)) (field $y (mut i32))))
  (type $bytes (array (mut i8)))
  (type $list (struct (field $v i32) (field $next (ref null $list))))

  ;; a list of n cells whose values are 1..n, summed by walking it
  (func (export "list_sum") (param $n i32) (result i32)
    (local $l (ref null $list)) (local $s i32)
    (block $done
      (loop $make
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $l (struct.new $list (local.get $n) (local.get $l)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $make)))
    (block $end
      (loop $walk
        (local.set $l (br_on_null $end (local.get $l)))
        (local.set $s (i32.add (local.get $s) (struct.get $list $v (local.get $l))))
        (local.set $l (struct.get $list $next (local.get $l)))
        (br $walk)))
    (local.get $s))

  ;; an array of n bytes: its length (huge n exhausts the GC heap)
  (func (export "bytes_len") (param $n i32) (result i32)
    (array.len (array.new_default $bytes (local.get $n))))

  ;; a point as an anyref, and its x back through a cast
  (func (export "point") (param $x i32) (result anyref)
    (struct.new $pt (local.get $x) (i32.const 0)))
  (func (export "point_x") (param $p anyref) (result i32)
    (struct.get $pt $x (ref.cast (ref $pt) (local.get $p))))
  (func (export "is_point") (param $p anyref) (result i32)
    (ref.test (ref $pt) (local.get $p)))
)
