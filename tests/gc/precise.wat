;; precise.wat: frame roots are precise (stack maps). run first makes a
;; big array (200 KB) and drops it; its address stays behind in a slot of
;; the operand stack that nothing overwrites afterwards (the slot of the
;; third stack entry, while the loop below only ever uses two). Then it
;; builds a list of n nodes held in a local, allocating all the while.
;; With --max-memory a little over the list's size, the heap only fits if
;; the dead array is freed: a collector that took every frame slot for a
;; root would keep it and run out (exit status 151). run returns the sum
;; of the list's values, n * (n - 1) / 2 (mod 2^64).
(module
  (type $big (array (mut i64)))
  (type $node (struct (field $next (ref null $node)) (field $v i64)))

  (func (export "run") (param $n i32) (result i64)
    (local $list (ref null $node)) (local $i i32) (local $sum i64)
    (i32.const 1)
    (i32.const 2)
    (drop (array.new_default $big (i32.const 25000)))
    (drop)
    (drop)
    (block $done
      (loop $build
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $list
          (struct.new $node (local.get $list) (i64.extend_i32_u (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $build)))
    (block $end
      (loop $walk
        (br_if $end (ref.is_null (local.get $list)))
        (local.set $sum (i64.add (local.get $sum) (struct.get $node $v (local.get $list))))
        (local.set $list (struct.get $node $next (local.get $list)))
        (br $walk)))
    (local.get $sum)))
