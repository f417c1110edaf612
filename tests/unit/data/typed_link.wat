;; typed_link.wat: imports of typed function references, for test_typed.c:
;; the types are equivalent to typed.wat's $ii (another module's own), so
;; typed.wat's exports satisfy them. Assembled as typed.wat is.
(module
  (type $jj (func (param i32) (result i32)))
  (import "a" "f" (func $f (type $jj)))
  (import "a" "t" (table 2 (ref $jj)))
  (import "a" "g" (global (mut (ref null $jj))))
  (func (export "run") (param i32) (result i32)
    (call_ref $jj (local.get 0) (ref.func $f)))
  (elem declare func $f)
)
