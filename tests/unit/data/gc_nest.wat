;; gc_nest.wat: frame roots across a host function that calls back into
;; wasm, for test_gc.c. Assembled into gc_nest_wasm.h by jco's wasm-tools
;; text parser:
;;   build/jco/node_modules/.bin/jco parse gc_nest.wat -o gc_nest.wasm
;; outer holds three points while host.cb runs "churn" (which allocates
;; and collects) in a nested call: one in a local, one on its operand
;; stack below the call's arguments, one passed to the host function as
;; an argument (which it returns). The collections happen two calls deep
;; in the nested call; outer's frame is found through the host call.
(module
  (type $pt (struct (field $x (mut i32)) (field $y (mut i32))))
  (type $list (struct (field $v i32) (field $next (ref null $list))))
  (import "host" "cb" (func $cb (param anyref i32) (result anyref)))

  ;; n list cells made and dropped; the sum of 1..n
  (func $cells (param $n i32) (result i32)
    (local $l (ref null $list)) (local $s i32)
    (block $done
      (loop $make
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $l (struct.new $list (local.get $n) (local.get $l)))
        (local.set $s (i32.add (local.get $s) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $make)))
    (local.get $s))
  (func (export "churn") (param $n i32) (result i32)
    (call $cells (local.get $n)))

  ;; 7 * 10000 + 11 * 100 + 13 = 71113 when every point survives
  (func (export "outer") (param $n i32) (result i32)
    (local $a (ref null $pt)) (local $t i32)
    (local.set $a (struct.new $pt (i32.const 7) (i32.const 0)))
    (struct.new $pt (i32.const 11) (i32.const 0))
    (call $cb (struct.new $pt (i32.const 13) (i32.const 0)) (local.get $n))
    (local.set $t (struct.get $pt $x (ref.cast (ref $pt))))
    (i32.add (i32.mul (struct.get $pt $x) (i32.const 100)) (local.get $t))
    (i32.add (i32.mul (struct.get $pt $x (local.get $a)) (i32.const 10000))))
)
