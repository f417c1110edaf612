;; mem.wat: three memories, one of them 64-bit, used together (tests/mem/run.sh).
;;
;; Memory 0 is the 32-bit memory WASI sees (exported "memory"); memory 1 is
;; 32-bit with a maximum of 2 pages; memory 2 is 64-bit. _start copies text
;; out of memories 1 and 2 into memory 0 and prints it, grows memory 2 past
;; 4 GiB (when the limit allows) and uses an address above 4 GiB, and checks
;; loads, stores, fill, init and sizes on every memory. The other exports
;; are run one by one with --invoke: accesses out of bounds, of each kind.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory $m0 (export "memory") 1)
  (memory $m1 1 2)
  (memory $m2 i64 1)
  (data $d1 (memory $m1) (i32.const 16) "from memory 1\n")
  (data $d2 (memory $m2) (i64.const 32) "from memory 2 (64-bit)\n")
  (data $hi "above 4 GiB\n")
  (data $ok "loads, stores, fill, init and sizes: ok\n")
  (data $bad "loads, stores, fill, init and sizes: FAILED\n")
  (data $no "memory 2 stays below 4 GiB: the limit refused the growth\n")

  ;; Print len bytes of memory 0 at ptr (the iovec lives at 0..8).
  (func $print (param $ptr i32) (param $len i32)
    (i32.store $m0 (i32.const 0) (local.get $ptr))
    (i32.store $m0 (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; Copy len bytes of memory 1 or 2 to memory 0 at 64 and print them.
  (func $show1 (param $src i32) (param $len i32)
    (memory.copy $m0 $m1 (i32.const 64) (local.get $src) (local.get $len))
    (call $print (i32.const 64) (local.get $len)))
  (func $show2 (param $src i64) (param $len i32)
    (memory.copy $m0 $m2 (i32.const 64) (local.get $src) (local.get $len))
    (call $print (i32.const 64) (local.get $len)))

  ;; Every check: 1 if all hold.
  (func $checks (result i32) (local $ok i32)
    (local.set $ok (i32.const 1))
    ;; sizes: 1 page each at the start, i64 for memory 2
    (local.set $ok (i32.and (local.get $ok) (i32.eq (memory.size $m1) (i32.const 1))))
    (local.set $ok (i32.and (local.get $ok) (i64.eq (memory.size $m2) (i64.const 1))))
    ;; the same address holds different values in each memory
    (i64.store $m0 (i32.const 1000) (i64.const 0x1111111111111111))
    (i64.store $m1 (i32.const 1000) (i64.const 0x2222222222222222))
    (i64.store $m2 (i64.const 1000) (i64.const 0x3333333333333333))
    (local.set $ok (i32.and (local.get $ok)
      (i64.eq (i64.load $m0 (i32.const 1000)) (i64.const 0x1111111111111111))))
    (local.set $ok (i32.and (local.get $ok)
      (i64.eq (i64.load $m1 offset=8 (i32.const 992)) (i64.const 0x2222222222222222))))
    (local.set $ok (i32.and (local.get $ok)
      (i32.eq (i32.load8_u $m2 offset=1003 (i64.const 0)) (i32.const 0x33))))
    ;; the last byte of memory 1 is in bounds
    (i32.store8 $m1 (i32.const 65535) (i32.const 7))
    (local.set $ok (i32.and (local.get $ok) (i32.eq (i32.load8_u $m1 (i32.const 65535)) (i32.const 7))))
    ;; fill memory 1, init memory 2 from a passive segment, copy 1 -> 2
    (memory.fill $m1 (i32.const 2000) (i32.const 0x5a) (i32.const 16))
    (local.set $ok (i32.and (local.get $ok) (i32.eq (i32.load8_u $m1 (i32.const 2015)) (i32.const 0x5a))))
    (memory.init $m2 $ok (i64.const 3000) (i32.const 0) (i32.const 4))
    (local.set $ok (i32.and (local.get $ok) (i32.eq (i32.load $m2 (i64.const 3000)) (i32.const 0x64616f6c (; "load" ;)))))
    (memory.copy $m2 $m1 (i64.const 4000) (i32.const 2000) (i32.const 16))
    (local.set $ok (i32.and (local.get $ok) (i32.eq (i32.load8_u $m2 (i64.const 4015)) (i32.const 0x5a))))
    ;; memory 1 grows to its maximum, not past it
    (local.set $ok (i32.and (local.get $ok) (i32.eq (memory.grow $m1 (i32.const 1)) (i32.const 1))))
    (local.set $ok (i32.and (local.get $ok) (i32.eq (memory.grow $m1 (i32.const 1)) (i32.const -1))))
    (local.get $ok))

  (func (export "_start")
    (call $show1 (i32.const 16) (i32.const 14))
    (call $show2 (i64.const 32) (i32.const 23))
    (if (call $checks)
      (then (memory.init $m0 $ok (i32.const 64) (i32.const 0) (i32.const 40))
            (call $print (i32.const 64) (i32.const 40)))
      (else (memory.init $m0 $bad (i32.const 64) (i32.const 0) (i32.const 44))
            (call $print (i32.const 64) (i32.const 44))))
    ;; 4 GiB more: memory 2 then holds 65537 pages
    (if (i64.eq (memory.grow $m2 (i64.const 0x10000)) (i64.const 1))
      (then
        (memory.init $m2 $hi (i64.const 0x100000100) (i32.const 0) (i32.const 12))
        (call $show2 (i64.const 0x100000100) (i32.const 12)))
      (else
        (memory.init $m0 $no (i32.const 64) (i32.const 0) (i32.const 57))
        (call $print (i32.const 64) (i32.const 57)))))

  ;; Out of bounds, one export each (memory 1 has one page, memory 2 one
  ;; unless _start grew it).
  (func (export "load1") (param $a i32) (result i32) (i32.load $m1 (local.get $a)))
  (func (export "store1") (param $a i32) (i32.store16 $m1 (local.get $a) (i32.const 1)))
  (func (export "load2") (param $a i64) (result i64) (i64.load $m2 (local.get $a)))
  ;; address + offset wraps around 2^64: out of bounds, never address 8
  (func (export "wrap2") (result i64) (i64.load $m2 offset=16 (i64.const -8)))
  (func (export "load0") (param $a i32) (result i32) (i32.load $m0 (local.get $a)))
  (func (export "copy12") (param $n i32)
    (memory.copy $m2 $m1 (i64.const 0) (i32.const 0) (local.get $n)))
  (func (export "fill2") (param $d i64) (param $n i64)
    (memory.fill $m2 (local.get $d) (i32.const 0) (local.get $n)))
  (func (export "v128_2") (param $a i64) (result i32)
    (i32x4.extract_lane 0 (v128.load $m2 (local.get $a))))
  (func (export "size2") (result i64) (memory.size $m2))
)
