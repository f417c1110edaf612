;; nine.wat: nine memories, one more than the sandbox has memfds for
;; (SBX_NMEM, sandbox/sbx_proto.h): it runs at --sandbox=none and is refused
;; at the other levels, where every memory is a memfd the broker controls
;; (tests/mem/run.sh). _start stores into the last and reads it back.
(module
  (memory $m0 1)
  (memory $m1 1)
  (memory $m2 1)
  (memory $m3 1)
  (memory $m4 1)
  (memory $m5 1)
  (memory $m6 1)
  (memory $m7 1)
  (memory $m8 1)
  (func (export "_start")
    (i32.store $m8 (i32.const 8) (i32.const 42))
    (if (i32.ne (i32.load $m8 (i32.const 8)) (i32.const 42)) (then unreachable))))
