;; tail.wat: tail calls (return_call, return_call_indirect) for tests/tail/run.sh.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (type $pred (func (param i32) (result i32)))
  (table funcref (elem $even_i $odd_i))

  ;; Mutual recursion through return_call: constant stack at any depth.
  (func $even (export "even") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 1))
      (else (return_call $odd (i32.sub (local.get $n) (i32.const 1))))))
  ;; A bigger frame than $even's: sixteen locals, so a frame kept per call
  ;; would fill the value stack long before a million calls.
  (func $odd (export "odd") (param $n i32) (result i32)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (return_call $even (i32.sub (local.get $n) (i32.const 1))))))

  ;; The same through the table: element 0 is $even_i, 1 is $odd_i.
  (func $even_i (export "even_indirect") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 1))
      (else (return_call_indirect (type $pred)
              (i32.sub (local.get $n) (i32.const 1)) (i32.const 1)))))
  (func $odd_i (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (return_call_indirect (type $pred)
              (i32.sub (local.get $n) (i32.const 1)) (i32.const 0)))))

  ;; The same recursion with plain calls: the depth limit is there.
  (func $even_c (export "even_call") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 1))
      (else (call $odd_c (i32.sub (local.get $n) (i32.const 1))))))
  (func $odd_c (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (call $even_c (i32.sub (local.get $n) (i32.const 1))))))

  ;; Arguments that overlap the parameters they replace: rotate (a, b, c)
  ;; n times, summing a into acc, in values of three types.
  (func $rot (export "rot") (param $n i32) (param $a i64) (param $b f64) (param $c i32)
                            (param $acc i64) (result i64 f64 i32)
    (if (i32.eqz (local.get $n))
      (then (return (i64.add (local.get $acc) (local.get $a)) (local.get $b) (local.get $c))))
    (return_call $rot (i32.sub (local.get $n) (i32.const 1))
      (i64.extend_i32_u (local.get $c)) (f64.convert_i64_s (local.get $a))
      (i32.trunc_f64_s (local.get $b)) (i64.add (local.get $acc) (local.get $a))))

  ;; A host function called through return_call: its results are the caller's.
  (func (export "host") (param i32) (result i32)
    (return_call $args_sizes_get (local.get 0) (i32.add (local.get 0) (i32.const 4))))

  ;; A trap in a function entered by a tail call names that function.
  (func $boom (param i32) (result i32) (unreachable))
  (func (export "tail_trap") (param i32) (result i32)
    (return_call $boom (local.get 0)))
  ;; A wrong type through the table traps.
  (func (export "tail_bad_type") (result i32)
    (return_call_indirect (result i32) (i32.const 0)))
)
