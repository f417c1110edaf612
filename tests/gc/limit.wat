;; limit.wat: a live set that only grows (every node stays reachable from
;; a global), so the heap must reach its limit: the run has to end with
;; wrun's memory-limit exit status and message, not a crash.
(module
  (type $node (struct (field i64) (field (ref null $node))))
  (global $all (mut (ref null $node)) (ref.null $node))
  (func (export "run") (param $n i32) (result i32)
    (local $i i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (global.set $all (struct.new $node (i64.extend_i32_u (local.get $i)) (global.get $all)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $i)))
