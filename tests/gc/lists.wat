;; lists.wat: allocation loops that build linked lists, close each into a
;; cycle, walk it, and drop it (dead cycles), while some lists stay live in
;; a local, a global array, a table, an externref global (a box) and an
;; exception held in an exnref global, across every collection. run
;; returns a checksum of everything it read; tests/gc/run.sh computes the
;; expected value on its own.
(module
  (type $node (struct (field $v (mut i32)) (field $next (mut (ref null $node)))))
  (type $vec (array (mut (ref null $node))))
  (tag $carry (param (ref null $node)))
  (global $keep (mut (ref null $vec)) (ref.null $vec))
  (global $boxed (mut externref) (ref.null extern))
  (global $exn (mut exnref) (ref.null exn))
  (table $recent 16 anyref)

  ;; a list of n nodes holding base .. base+n-1 (the head holds the last)
  (func $build (param $base i32) (param $n i32) (result (ref null $node))
    (local $h (ref null $node)) (local $i i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $h (struct.new $node (i32.add (local.get $base) (local.get $i)) (local.get $h)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $h))

  ;; the sum of k nodes' values from h on (following next, cycles too)
  (func $sum (param $h (ref null $node)) (param $k i32) (result i64)
    (local $s i64)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $k)))
        (br_if $done (ref.is_null (local.get $h)))
        (local.set $s (i64.add (local.get $s)
          (i64.extend_i32_s (struct.get $node $v (local.get $h)))))
        (local.set $h (struct.get $node $next (local.get $h)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $l)))
    (local.get $s))

  ;; close list h (not empty) into a cycle
  (func $close (param $h (ref null $node))
    (local $p (ref null $node))
    (local.set $p (local.get $h))
    (block $done
      (loop $l
        (br_if $done (ref.is_null (struct.get $node $next (local.get $p))))
        (local.set $p (struct.get $node $next (local.get $p)))
        (br $l)))
    (struct.set $node $next (local.get $p) (local.get $h)))

  (func (export "run") (param $iters i32) (param $len i32) (param $every i32) (result i64)
    (local $it i32) (local $total i64) (local $h (ref null $node))
    (local $pinned (ref null $node)) (local $i i32) (local $n i32)
    (local.set $pinned (call $build (i32.const -1000) (i32.const 50)))
    (global.set $keep (array.new $vec (ref.null $node)
      (i32.add (i32.div_u (local.get $iters) (local.get $every)) (i32.const 1))))
    (global.set $boxed (extern.convert_any (call $build (i32.const 5000) (i32.const 20))))
    ;; an exception whose payload is a list, caught and kept as an exnref
    (global.set $exn
      (block $caught (result exnref)
        (try_table (catch_all_ref $caught)
          (throw $carry (call $build (i32.const 777) (i32.const 30))))
        (unreachable)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $it) (local.get $iters)))
        (local.set $h (call $build (local.get $it) (local.get $len)))
        (local.set $total (i64.add (local.get $total) (call $sum (local.get $h) (local.get $len))))
        (call $close (local.get $h))
        (local.set $total (i64.add (local.get $total) (call $sum (local.get $h) (local.get $len))))
        (table.set $recent (i32.rem_u (local.get $it) (i32.const 16)) (local.get $h))
        (if (i32.eqz (i32.rem_u (local.get $it) (local.get $every)))
          (then (array.set $vec (global.get $keep)
                  (i32.div_u (local.get $it) (local.get $every))
                  (call $build (i32.mul (local.get $it) (i32.const 7)) (i32.const 3)))))
        (local.set $it (i32.add (local.get $it) (i32.const 1)))
        (br $l)))
    ;; what survived
    (local.set $total (i64.add (local.get $total) (call $sum (local.get $pinned) (i32.const 1000))))
    (local.set $n (array.len (global.get $keep)))
    (block $d2
      (loop $l2
        (br_if $d2 (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $total (i64.add (local.get $total)
          (call $sum (array.get $vec (global.get $keep) (local.get $i)) (i32.const 1000))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l2)))
    (local.set $i (i32.const 0))
    (block $d3
      (loop $l3
        (br_if $d3 (i32.ge_u (local.get $i) (i32.const 16)))
        (local.set $total (i64.add (local.get $total)
          (call $sum (ref.cast (ref null $node) (table.get $recent (local.get $i))) (local.get $len))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l3)))
    (local.set $total (i64.add (local.get $total)
      (call $sum (ref.cast (ref null $node) (any.convert_extern (global.get $boxed))) (i32.const 1000))))
    (local.set $total (i64.add (local.get $total)
      (call $sum
        (block $got (result (ref null $node))
          (try_table (catch $carry $got) (throw_ref (global.get $exn)))
          (unreachable))
        (i32.const 1000))))
    (local.get $total)))
