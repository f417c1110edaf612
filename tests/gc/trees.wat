;; trees.wat: binary trees (the allocation benchmark): for each depth d
;; from 4 to max step 2, build and walk 2^(max - d + 4) trees of depth d,
;; while one long-lived tree of depth max stays in a local. The references
;; live in the frames of the recursion while the collector runs. run
;; returns the sum of every tree's node count; tests/gc/run.sh and
;; bench/gc/run.sh compute the expected value on their own.
(module
  (type $tree (struct (field $l (ref null $tree)) (field $r (ref null $tree))))

  (func $make (param $d i32) (result (ref $tree))
    (if (result (ref $tree)) (i32.eqz (local.get $d))
      (then (struct.new $tree (ref.null $tree) (ref.null $tree)))
      (else
        (local.set $d (i32.sub (local.get $d) (i32.const 1)))
        (struct.new $tree (call $make (local.get $d)) (call $make (local.get $d))))))

  (func $check (param $t (ref null $tree)) (result i32)
    (if (result i32) (ref.is_null (struct.get $tree $l (local.get $t)))
      (then (i32.const 1))
      (else (i32.add (i32.const 1)
        (i32.add (call $check (struct.get $tree $l (local.get $t)))
                 (call $check (struct.get $tree $r (local.get $t))))))))

  (func (export "run") (param $max i32) (result i64)
    (local $long (ref null $tree)) (local $d i32) (local $n i32) (local $i i32)
    (local $total i64)
    ;; the stretch tree: made and dropped at once
    (local.set $total (i64.extend_i32_u
      (call $check (call $make (i32.add (local.get $max) (i32.const 1))))))
    (local.set $long (call $make (local.get $max)))
    (local.set $d (i32.const 4))
    (block $done
      (loop $depths
        (br_if $done (i32.gt_u (local.get $d) (local.get $max)))
        (local.set $n (i32.shl (i32.const 1)
          (i32.add (i32.sub (local.get $max) (local.get $d)) (i32.const 4))))
        (local.set $i (i32.const 0))
        (block $d2
          (loop $trees
            (br_if $d2 (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $total (i64.add (local.get $total)
              (i64.extend_i32_u (call $check (call $make (local.get $d))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $trees)))
        (local.set $d (i32.add (local.get $d) (i32.const 2)))
        (br $depths)))
    (i64.add (local.get $total) (i64.extend_i32_u (call $check (local.get $long))))))
