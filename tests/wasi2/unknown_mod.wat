;; A core module importing a function nothing provides: refused, or with
;; -W unknown-imports-trap, trapping when _start calls it.
(module
  (import "env" "f" (func $f))
  (func (export "_start") call $f))
