;; tags.wast: the core-instance linking of the component model's
;; test/linking/tags.wast, as a core script: a tag defined by one instance
;; and imported by a thrower and a catcher matches exactly; tags are
;; generative per instance; a tag re-exported under another name is the
;; same tag. tests/eh/run.sh runs it with spectest (converted by
;; tests/spec3/wast3json.py).

(module $Tag (tag (export "t") (param i32)))
(register "tag" $Tag)

(module $Thrower
  (import "tag" "t" (tag $t (param i32)))
  (func (export "throw-if") (param i32)
    (if (local.get 0) (then (throw $t (local.get 0)))))
  (func (export "throw") (param i32) (throw $t (local.get 0))))
(register "thrower" $Thrower)

(module $Catcher
  (import "tag" "t" (tag $t (param i32)))
  (import "thrower" "throw-if" (func $throw-if (param i32)))
  (func (export "run") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $t $h) (call $throw-if (local.get 0)))
      (return (i32.const 99)))))

(assert_return (invoke $Catcher "run" (i32.const 42)) (i32.const 42))
(assert_return (invoke $Catcher "run" (i32.const 0)) (i32.const 99))

;; A second instance of the tag module makes a distinct tag.
(module $TagB (tag (export "t") (param i32)))
(register "tag-b" $TagB)
(module $ThrowerB
  (import "tag-b" "t" (tag $t (param i32)))
  (func (export "throw") (param i32) (throw $t (local.get 0))))
(register "thrower-b" $ThrowerB)

(module $Both
  (import "tag" "t" (tag $t (param i32)))
  (import "thrower" "throw" (func $throw-a (param i32)))
  (import "thrower-b" "throw" (func $throw-b (param i32)))
  (func (export "run-a") (param i32) (result i32)
    (block $all
      (block $h (result i32)
        (try_table (catch $t $h) (catch_all $all) (call $throw-a (local.get 0)))
        (return (i32.const 99)))
      (return))
    (i32.const 77))
  (func (export "run-b") (param i32) (result i32)
    (block $all
      (block $h (result i32)
        (try_table (catch $t $h) (catch_all $all) (call $throw-b (local.get 0)))
        (return (i32.const 99)))
      (return))
    (i32.const 77)))

(assert_return (invoke $Both "run-a" (i32.const 42)) (i32.const 42))
(assert_return (invoke $Both "run-b" (i32.const 42)) (i32.const 77))
(assert_exception (invoke $ThrowerB "throw" (i32.const 1)))

;; Re-exported under another name, it is still the same tag.
(module $Alias
  (import "tag" "t" (tag $t (param i32)))
  (export "exn" (tag $t)))
(register "env" $Alias)
(module $Renamed
  (import "env" "exn" (tag $t (param i32)))
  (import "thrower" "throw" (func $throw (param i32)))
  (func (export "run") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $t $h) (call $throw (local.get 0)))
      (return (i32.const 99)))))
(assert_return (invoke $Renamed "run" (i32.const 7)) (i32.const 7))

;; Types must match; a function is not a tag.
(assert_unlinkable
  (module (import "tag" "t" (tag (param i64))))
  "incompatible import type")
(assert_unlinkable
  (module (import "thrower" "throw" (tag (param i32))))
  "incompatible import type")
