;; typed.wat: typed function references (Wasm 3.0) for test_typed.c.
;; Assembled into typed_wasm.h by jco's wasm-tools text parser (wabt's
;; wat2wasm predates call_ref's type immediate):
;;   build/jco/node_modules/.bin/jco parse typed.wat -o typed.wasm
(module
  (type $ii (func (param i32) (result i32)))
  (type $v (func))
  (import "host" "ii" (func $host (type $ii)))

  (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
  (func $dbl (type $ii) (i32.mul (local.get 0) (i32.const 2)))
  (func $nop (type $v))
  (elem declare func $inc $dbl $nop $host)

  ;; a table of non-null typed references needs an initialiser
  (table $t (export "t") 2 (ref $ii) (ref.func $inc))
  (global $g (export "g") (mut (ref null $ii)) (ref.null $ii))

  (export "inc" (func $inc))
  (export "nop" (func $nop))

  ;; call_ref traps on null
  (func (export "call") (param $f (ref null $ii)) (param $x i32) (result i32)
    (call_ref $ii (local.get $x) (local.get $f)))

  ;; a non-null parameter: the embedder cannot pass null
  (func (export "id_extern") (param (ref extern)) (result (ref extern))
    (local.get 0))

  ;; ref.as_non_null traps on null
  (func (export "as_non_null") (param funcref) (result i32)
    (ref.is_null (ref.as_non_null (local.get 0))))

  ;; br_on_null: -1 for null, else the call
  (func (export "on_null") (param $f (ref null $ii)) (result i32)
    (block $l
      (return (call_ref $ii (i32.const 10) (br_on_null $l (local.get $f)))))
    (i32.const -1))

  ;; br_on_non_null: the call for a function, else -2
  (func (export "on_non_null") (param $f (ref null $ii)) (result i32)
    (call_ref $ii (i32.const 20)
      (block $l (result (ref $ii))
        (br_on_non_null $l (local.get $f))
        (return (i32.const -2)))))

  ;; a local without a default, set before it is read
  (func (export "local_init") (param $f (ref $ii)) (result i32)
    (local $x (ref $ii))
    (local.set $x (local.get $f))
    (call_ref $ii (i32.const 5) (local.get $x)))

  ;; the table's element through call_ref, and the global's
  (func (export "call_table") (param i32 i32) (result i32)
    (call_ref $ii (local.get 1) (table.get $t (local.get 0))))
  (func (export "call_global") (param i32) (result i32)
    (call_ref $ii (local.get 0) (global.get $g)))
  (func (export "call_host") (param i32) (result i32)
    (call_ref $ii (local.get 0) (ref.func $host)))

  ;; return_call_ref in constant stack: n mutual tail calls
  (type $pp (func (param i32 (ref null $pp)) (result i32)))
  (func $even (type $pp)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 1))
      (else (return_call_ref $pp (i32.sub (local.get 0) (i32.const 1)) (ref.func $odd) (ref.func $odd)))))
  (func $odd (type $pp)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (return_call_ref $pp (i32.sub (local.get 0) (i32.const 1)) (ref.func $even) (ref.func $even)))))
  (elem declare func $even $odd)
  (func (export "even") (param i32) (result i32)
    (call $even (local.get 0) (ref.null $pp)))
)
