;; exns.wat: an exception held only by a GC object's exnref field must
;; survive the exception collector (which runs as thousands of caught
;; exceptions are kept as exnrefs) and the GC's collections; and a GC
;; object held only by an exception's payload must survive the GC's.
;; run returns the two payloads read back at the end plus the count of
;; exceptions caught; tests/gc/run.sh computes the expected value.
(module
  (type $holder (struct (field $e (mut exnref))))
  (type $node (struct (field $v i32) (field $next (ref null $node))))
  (tag $num (param i32))
  (tag $obj (param (ref null $node)))

  (func $catch_num (param $v i32) (result exnref)
    (block $c (result exnref)
      (try_table (catch_all_ref $c) (throw $num (local.get $v)))
      (unreachable)))

  (func (export "run") (param $n i32) (result i64)
    (local $h (ref null $holder)) (local $x exnref) (local $i i32) (local $caught i64)
    (local $g exnref) (local $r (ref null $node))
    (local.set $h (struct.new $holder (call $catch_num (i32.const 12345))))
    ;; an exception whose payload is the only reference to a list
    (local.set $g
      (block $c (result exnref)
        (try_table (catch_all_ref $c)
          (throw $obj (struct.new $node (i32.const 678) (struct.new $node (i32.const 9) (ref.null $node)))))
        (unreachable)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        ;; an exception kept as an exnref (so not freed at once) and dropped
        (local.set $x (call $catch_num (local.get $i)))
        (local.set $caught (i64.add (local.get $caught) (i64.const 1)))
        ;; garbage for the GC
        (drop (struct.new $node (local.get $i) (struct.new $node (local.get $i) (ref.null $node))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.set $r
      (block $got2 (result (ref null $node))
        (try_table (catch $obj $got2) (throw_ref (local.get $g)))
        (unreachable)))
    (i64.add (local.get $caught)
      (i64.extend_i32_u
        (i32.add
          (block $got (result i32)
            (try_table (catch $num $got) (throw_ref (struct.get $holder $e (local.get $h))))
            (unreachable))
          (i32.add (struct.get $node $v (local.get $r))
                   (struct.get $node $v (struct.get $node $next (local.get $r))))))))
)
