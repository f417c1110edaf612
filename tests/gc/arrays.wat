;; arrays.wat: arrays of references (filled, copied, overwritten) next to
;; packed arrays that hold no references, i31s, boxes made by
;; extern.convert_any in an externref array, and a struct with a v128
;; field before its reference, all surviving collections forced by
;; garbage allocated in between. run returns a checksum of what it read;
;; tests/gc/run.sh computes the expected value on its own.
(module
  (type $bytes (array (mut i8)))
  (type $cell (struct (field $x v128) (field $b (mut (ref null $bytes)))))
  (type $refs (array (mut anyref)))
  (type $exts (array (mut externref)))

  ;; garbage: n byte arrays of 64 elements
  (func $churn (param $n i32)
    (loop $l
      (drop (array.new $bytes (i32.const 1) (i32.const 64)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; a cell whose byte array holds k, k+1, ... (mod 256), n of them
  (func $cell (param $k i32) (param $n i32) (result (ref $cell))
    (local $a (ref null $bytes)) (local $i i32)
    (local.set $a (array.new_default $bytes (local.get $n)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (array.set $bytes (local.get $a) (local.get $i) (i32.add (local.get $k) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (struct.new $cell (v128.const i32x4 1 2 3 4) (local.get $a)))

  ;; the sum of a cell's bytes (unsigned) and its v128's lanes
  (func $sumcell (param $c (ref null $cell)) (result i64)
    (local $a (ref null $bytes)) (local $i i32) (local $s i64)
    (local.set $a (struct.get $cell $b (local.get $c)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (array.len (local.get $a))))
        (local.set $s (i64.add (local.get $s)
          (i64.extend_i32_u (array.get_u $bytes (local.get $a) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (i64.add (local.get $s) (i64.extend_i32_u
      (i32.add (i32x4.extract_lane 0 (struct.get $cell $x (local.get $c)))
               (i32x4.extract_lane 3 (struct.get $cell $x (local.get $c)))))))

  ;; element i of a refs array: a cell's sum, an i31's value, 0 for null
  (func $val (param $v anyref) (result i64)
    (if (result i64) (ref.is_null (local.get $v)) (then (i64.const 0))
      (else (if (result i64) (ref.test (ref i31) (local.get $v))
        (then (i64.extend_i32_u (i31.get_u (ref.cast (ref i31) (local.get $v)))))
        (else (call $sumcell (ref.cast (ref $cell) (local.get $v))))))))

  (func (export "run") (param $n i32) (param $rounds i32) (result i64)
    (local $a (ref null $refs)) (local $b (ref null $refs)) (local $e (ref null $exts))
    (local $i i32) (local $r i32) (local $s i64)
    (local.set $a (array.new_default $refs (local.get $n)))
    (local.set $e (array.new_default $exts (local.get $n)))
    (block $done
      (loop $rl
        (br_if $done (i32.ge_u (local.get $r) (local.get $rounds)))
        ;; fill a: even slots cells, odd slots i31s; e: boxes of the cells
        (local.set $i (i32.const 0))
        (block $f (loop $fl
          (br_if $f (i32.ge_u (local.get $i) (local.get $n)))
          (if (i32.and (local.get $i) (i32.const 1))
            (then (array.set $refs (local.get $a) (local.get $i)
                    (ref.i31 (i32.add (local.get $i) (local.get $r)))))
            (else (array.set $refs (local.get $a) (local.get $i)
                    (call $cell (i32.add (local.get $i) (local.get $r)) (i32.const 40)))
                  (array.set $exts (local.get $e) (local.get $i)
                    (extern.convert_any (array.get $refs (local.get $a) (local.get $i))))))
          (call $churn (i32.const 20))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $fl)))
        ;; b: a copy of a, then a's cells overwritten with null
        (local.set $b (array.new_default $refs (local.get $n)))
        (array.copy $refs $refs (local.get $b) (i32.const 0) (local.get $a) (i32.const 0) (local.get $n))
        (array.fill $refs (local.get $a) (i32.const 0) (ref.null any) (local.get $n))
        (call $churn (i32.const 500))
        ;; read back b and the boxes
        (local.set $i (i32.const 0))
        (block $g (loop $gl
          (br_if $g (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $s (i64.add (local.get $s) (call $val (array.get $refs (local.get $b) (local.get $i)))))
          (local.set $s (i64.add (local.get $s)
            (call $val (any.convert_extern (array.get $exts (local.get $e) (local.get $i))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $gl)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl)))
    (local.get $s)))
