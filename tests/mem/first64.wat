;; first64.wat: memory 0 is 64-bit (tests/mem/run.sh). WASI preview1's
;; pointers are 32-bit, so its calls see no memory here: fd_write fails
;; with EFAULT (21), which becomes the exit code.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory $m0 i64 1)
  (memory $m1 1)
  (data (memory $m0) (i64.const 0) "\10\00\00\00\03\00\00\00")
  (data (memory $m0) (i64.const 16) "hi\n")
  (func (export "_start")
    (call $exit (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
