;; kitchen.wat: one module with a bit of every kind of section and
;; instruction family, for the failing-allocator sweep (alloc_fail.c):
;; a WASI import, memory with active and passive data, tables with active,
;; passive and declared elements, globals, a start function, indirect
;; calls, br_table, multi-value blocks, bulk memory, references, SIMD and
;; memory.grow.  _start prints one line and returns.
(module
  (type $binop (func (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1 4)
  (data (i32.const 16) "kitchen: ok\n")
  (data $later "passive bytes")
  (table $t 4 8 funcref)
  (table $r 2 externref)
  (elem (table $t) (i32.const 0) func $add $sub $mul)
  (elem $pass funcref (ref.func $add) (ref.null func))
  (elem declare func $start)
  (global $g (mut i32) (i32.const 7))
  (global $c i64 (i64.const -1))
  (global $v (mut v128) (v128.const i32x4 1 2 3 4))
  (start $start)

  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))
  (func $mul (type $binop) (i32.mul (local.get 0) (local.get 1)))

  (func $start (global.set $g (i32.add (global.get $g) (i32.const 1))))

  (func $pick (param $i i32) (result i32)
    (block $c (block $b (block $a
      (br_table $a $b $c (local.get $i)))
      (return (i32.const 10)))
      (return (i32.const 20)))
    (i32.const 30))

  (func $pair (result i32 i64)
    (i32.const 1) (i64.const 2))

  (func $vec (result i32)
    (global.set $v (i32x4.add (global.get $v) (v128.const i32x4 10 20 30 40)))
    (i32x4.extract_lane 3 (i32x4.mul (global.get $v) (i32x4.splat (i32.const 2)))))

  (func $bulk
    (memory.init $later (i32.const 64) (i32.const 0) (i32.const 7))
    (data.drop $later)
    (memory.copy (i32.const 128) (i32.const 64) (i32.const 7))
    (memory.fill (i32.const 256) (i32.const 42) (i32.const 16))
    (table.init $t $pass (i32.const 3) (i32.const 0) (i32.const 1))
    (elem.drop $pass)
    (table.set $r (i32.const 1) (ref.null extern))
    (drop (table.grow $t (ref.null func) (i32.const 1))))

  (func (export "_start") (local $i i32) (local $acc i32)
    (call $bulk)
    (drop (memory.grow (i32.const 1)))
    (loop $l
      (local.set $acc (i32.add (local.get $acc)
        (call_indirect (type $binop) (local.get $i) (i32.const 3)
          (i32.rem_u (local.get $i) (i32.const 4)))))
      (local.set $acc (i32.add (local.get $acc) (call $pick (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 3))))
    (drop (call $pair))
    (drop)
    (drop (call $vec))
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 12))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
