;; The default à trous wavelet filter of detection (five symmetric taps, levels 1 and 2, margin 4)
;; in WebAssembly SIMD, four pixels per instruction: in JavaScript each separable pass costs about
;; 3 ns per pixel whatever the loop shape (typed-array loads and float conversions), which made the
;; filter over half of a frame's localization time. Same passes and the same border rules as the
;; JavaScript path in filters.ts (ThunderSTORM's duplicate padding, zero beyond), in float32
;; arithmetic; test/core/detect tests check both against a naive 2-D reference and each other.
;;
;; This text is the source. `npm run build:wasm` (bin/build-wasm.mjs, the wabt assembler) writes
;; the bytes into waveletKernel.ts, which is checked in so the app and the CLI need no assembler;
;; test/core/detect/waveletKernel.test.ts fails when one is edited without the other.
;;
;; Buffers live in the one imported memory (byte addresses; the layout is WaveletWasm's in
;; waveletWasm.ts). Rows are packed at their true width; a vector that runs past a row's end spills
;; into the next row, which is written after it, or into 64 bytes of slack after the buffer, so
;; only the moments need an exact tail. Loops are `for (i = start; i < end; i += step)`:
;; block/loop with the exit test first. M = 4 (the level-2 kernel's radius) appears as the
;; constants 4·M = 16 and 8·M = 32 bytes and 2·M = 8 pixels.
(module
  (type $t0 (func (param i32 i32 i32 i32 i32 f32 f32 f32)))
  (type $t1 (func (param i32 i32 i32 i32 f32 f32 f32)))
  (type $t2 (func (param i32 i32 i32 i32 f32 f32 f32)))
  (type $t3 (func (param i32 i32 i32 i32 i32 f32 f32 f32)))
  (type $t4 (func (param i32 i32 i32 i32 i32)))
  (type $t5 (func (param i32 i32 f32 i32 i32)))
  (import "env" "memory" (memory $env.memory 1))
  ;; h1[y][X] = k1 ⊛ (row y padded by duplication to w + 8, zero beyond), X < w + 8.
  (func $rows (export "rows") (type $t0) (param $img i32) (param $w i32) (param $h i32) (param $prow i32) (param $h1 i32) (param $a0 f32) (param $a1 f32) (param $a2 f32)
    (local $y i32) (local $x i32) (local $src i32) (local $dst i32) (local $rowBytes i32) (local $padBytes i32) (local $left f32) (local $right f32) (local $va0 v128) (local $va1 v128) (local $va2 v128)
    (local.set $va0
      (f32x4.splat
        (local.get $a0)))
    (local.set $va1
      (f32x4.splat
        (local.get $a1)))
    (local.set $va2
      (f32x4.splat
        (local.get $a2)))
    (local.set $rowBytes
      (i32.shl
        (local.get $w)
        (i32.const 2)))
    (local.set $padBytes
      (i32.shl
        (i32.add
          (local.get $w)
          (i32.const 8))
        (i32.const 2)))
    (local.set $dst
      (local.get $h1))
    (local.set $y
      (i32.const 0))
    (block $B0
      (loop $L1
        (br_if $B0
          (i32.ge_s
            (local.get $y)
            (local.get $h)))
        (local.set $src
          (i32.add
            (local.get $img)
            (i32.mul
              (local.get $y)
              (local.get $rowBytes))))
        (local.set $left
          (f32.load
            (local.get $src)))
        (local.set $right
          (f32.load
            (i32.sub
              (i32.add
                (local.get $src)
                (local.get $rowBytes))
              (i32.const 4))))
        (f32.store offset=8
          (local.get $prow)
          (local.get $left))
        (f32.store offset=12
          (local.get $prow)
          (local.get $left))
        (f32.store offset=16
          (local.get $prow)
          (local.get $left))
        (f32.store offset=20
          (local.get $prow)
          (local.get $left))
        (memory.copy
          (i32.add
            (local.get $prow)
            (i32.const 24))
          (local.get $src)
          (local.get $rowBytes))
        (f32.store offset=24
          (i32.add
            (local.get $prow)
            (local.get $rowBytes))
          (local.get $right))
        (f32.store offset=28
          (i32.add
            (local.get $prow)
            (local.get $rowBytes))
          (local.get $right))
        (f32.store offset=32
          (i32.add
            (local.get $prow)
            (local.get $rowBytes))
          (local.get $right))
        (f32.store offset=36
          (i32.add
            (local.get $prow)
            (local.get $rowBytes))
          (local.get $right))
        (local.set $x
          (i32.const 0))
        (block $B2
          (loop $L3
            (br_if $B2
              (i32.ge_s
                (local.get $x)
                (local.get $padBytes)))
            ;; four pixels at dst + x ← a2·(q[0] + q[4]) + a1·(q[1] + q[3]) + a0·q[2], q = prow + x
            ;; (f32 elements; src is reused as the tap pointer q)
            (v128.store align=1
              (i32.add
                (local.get $dst)
                (local.get $x))
              (local.set $src
                (i32.add
                  (local.get $prow)
                  (local.get $x)))
              (f32x4.add
                (f32x4.add
                  (f32x4.mul
                    (f32x4.add
                      (v128.load align=1
                        (local.get $src))
                      (v128.load offset=16 align=1
                        (local.get $src)))
                    (local.get $va2))
                  (f32x4.mul
                    (f32x4.add
                      (v128.load offset=4 align=1
                        (local.get $src))
                      (v128.load offset=12 align=1
                        (local.get $src)))
                    (local.get $va1)))
                (f32x4.mul
                  (v128.load offset=8 align=1
                    (local.get $src))
                  (local.get $va0))))
            (local.set $x
              (i32.add
                (local.get $x)
                (i32.const 16)))
            (br $L3)))
        (local.set $dst
          (i32.add
            (local.get $dst)
            (local.get $padBytes)))
        (local.set $y
          (i32.add
            (local.get $y)
            (i32.const 1)))
        (br $L1))))
  ;; v1[Y] = k1 down the columns: rows through `rowtab` (addresses; a zero row beyond the padding).
  (func $columns (export "columns") (type $t1) (param $rowtab i32) (param $v1 i32) (param $pw i32) (param $ph i32) (param $a0 f32) (param $a1 f32) (param $a2 f32)
    (local $Y i32) (local $x i32) (local $dst i32) (local $bytes i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $r4 i32) (local $va0 v128) (local $va1 v128) (local $va2 v128)
    (local.set $va0
      (f32x4.splat
        (local.get $a0)))
    (local.set $va1
      (f32x4.splat
        (local.get $a1)))
    (local.set $va2
      (f32x4.splat
        (local.get $a2)))
    (local.set $bytes
      (i32.shl
        (local.get $pw)
        (i32.const 2)))
    (local.set $dst
      (local.get $v1))
    (local.set $Y
      (i32.const 0))
    (block $B0
      (loop $L1
        (br_if $B0
          (i32.ge_s
            (local.get $Y)
            (local.get $ph)))
        (local.set $r0
          (i32.load
            (i32.add
              (local.get $rowtab)
              (i32.shl
                (local.get $Y)
                (i32.const 2)))))
        (local.set $r1
          (i32.load offset=4
            (i32.add
              (local.get $rowtab)
              (i32.shl
                (local.get $Y)
                (i32.const 2)))))
        (local.set $r2
          (i32.load offset=8
            (i32.add
              (local.get $rowtab)
              (i32.shl
                (local.get $Y)
                (i32.const 2)))))
        (local.set $r3
          (i32.load offset=12
            (i32.add
              (local.get $rowtab)
              (i32.shl
                (local.get $Y)
                (i32.const 2)))))
        (local.set $r4
          (i32.load offset=16
            (i32.add
              (local.get $rowtab)
              (i32.shl
                (local.get $Y)
                (i32.const 2)))))
        (local.set $x
          (i32.const 0))
        (block $B2
          (loop $L3
            (br_if $B2
              (i32.ge_s
                (local.get $x)
                (local.get $bytes)))
            (v128.store align=1
              (i32.add
                (local.get $dst)
                (local.get $x))
              (f32x4.add
                (f32x4.add
                  (f32x4.mul
                    (f32x4.add
                      (v128.load align=1
                        (i32.add
                          (local.get $r0)
                          (local.get $x)))
                      (v128.load align=1
                        (i32.add
                          (local.get $r4)
                          (local.get $x))))
                    (local.get $va2))
                  (f32x4.mul
                    (f32x4.add
                      (v128.load align=1
                        (i32.add
                          (local.get $r1)
                          (local.get $x)))
                      (v128.load align=1
                        (i32.add
                          (local.get $r3)
                          (local.get $x))))
                    (local.get $va1)))
                (f32x4.mul
                  (v128.load align=1
                    (i32.add
                      (local.get $r2)
                      (local.get $x)))
                  (local.get $va0))))
            (local.set $x
              (i32.add
                (local.get $x)
                (i32.const 16)))
            (br $L3)))
        (local.set $dst
          (i32.add
            (local.get $dst)
            (local.get $bytes)))
        (local.set $Y
          (i32.add
            (local.get $Y)
            (i32.const 1)))
        (br $L1))))
  ;; h2[Y][x] = k2 (taps 2 px apart) along V1's row Y at crop column x, for all padded rows.
  (func $atrousRows (export "atrousRows") (type $t2) (param $v1 i32) (param $h2 i32) (param $w i32) (param $ph i32) (param $b0 f32) (param $b1 f32) (param $b2 f32)
    (local $Y i32) (local $x i32) (local $src i32) (local $dst i32) (local $c i32) (local $rowBytes i32) (local $vb0 v128) (local $vb1 v128) (local $vb2 v128)
    (local.set $vb0
      (f32x4.splat
        (local.get $b0)))
    (local.set $vb1
      (f32x4.splat
        (local.get $b1)))
    (local.set $vb2
      (f32x4.splat
        (local.get $b2)))
    (local.set $rowBytes
      (i32.shl
        (local.get $w)
        (i32.const 2)))
    (local.set $src
      (i32.add
        (local.get $v1)
        (i32.const 16)))
    (local.set $dst
      (local.get $h2))
    (local.set $Y
      (i32.const 0))
    (block $B0
      (loop $L1
        (br_if $B0
          (i32.ge_s
            (local.get $Y)
            (local.get $ph)))
        (local.set $x
          (i32.const 0))
        (block $B2
          (loop $L3
            (br_if $B2
              (i32.ge_s
                (local.get $x)
                (local.get $rowBytes)))
            (v128.store align=1
              (i32.add
                (local.get $dst)
                (local.get $x))
              (f32x4.add
                (f32x4.add
                  (f32x4.mul
                    (f32x4.add
                      (v128.load align=1
                        (local.tee $c
                          (i32.sub
                            (i32.add
                              (local.get $src)
                              (local.get $x))
                            (i32.const 16))))
                      (v128.load offset=32 align=1
                        (local.get $c)))
                    (local.get $vb2))
                  (f32x4.mul
                    (f32x4.add
                      (v128.load offset=8 align=1
                        (local.get $c))
                      (v128.load offset=24 align=1
                        (local.get $c)))
                    (local.get $vb1)))
                (f32x4.mul
                  (v128.load offset=16 align=1
                    (local.get $c))
                  (local.get $vb0))))
            (local.set $x
              (i32.add
                (local.get $x)
                (i32.const 16)))
            (br $L3)))
        (local.set $src
          (i32.add
            (i32.add
              (local.get $src)
              (local.get $rowBytes))
            (i32.const 32)))
        (local.set $dst
          (i32.add
            (local.get $dst)
            (local.get $rowBytes)))
        (local.set $Y
          (i32.add
            (local.get $Y)
            (i32.const 1)))
        (br $L1))))
  ;; out[y][x] = V1 − k2 down the columns of h2, on the crop rows.
  (func $atrousColumns (export "atrousColumns") (type $t3) (param $v1 i32) (param $h2 i32) (param $out i32) (param $w i32) (param $h i32) (param $b0 f32) (param $b1 f32) (param $b2 f32)
    (local $y i32) (local $x i32) (local $q i32) (local $v i32) (local $dst i32) (local $stride i32) (local $stride2 i32) (local $c i32) (local $vb0 v128) (local $vb1 v128) (local $vb2 v128)
    (local.set $vb0
      (f32x4.splat
        (local.get $b0)))
    (local.set $vb1
      (f32x4.splat
        (local.get $b1)))
    (local.set $vb2
      (f32x4.splat
        (local.get $b2)))
    (local.set $stride
      (i32.shl
        (local.get $w)
        (i32.const 2)))
    (local.set $stride2
      (i32.shl
        (local.get $stride)
        (i32.const 1)))
    (local.set $q
      (i32.add
        (local.get $h2)
        (i32.mul
          (local.get $stride)
          (i32.const 4))))
    (local.set $v
      (i32.add
        (local.get $v1)
        (i32.add
          (i32.mul
            (i32.add
              (local.get $w)
              (i32.const 8))
            (i32.const 16))
          (i32.const 16))))
    (local.set $dst
      (local.get $out))
    (local.set $y
      (i32.const 0))
    (block $B0
      (loop $L1
        (br_if $B0
          (i32.ge_s
            (local.get $y)
            (local.get $h)))
        (local.set $x
          (i32.const 0))
        (block $B2
          (loop $L3
            (br_if $B2
              (i32.ge_s
                (local.get $x)
                (local.get $stride)))
            (v128.store align=1
              (i32.add
                (local.get $dst)
                (local.get $x))
              (f32x4.sub
                (v128.load align=1
                  (i32.add
                    (local.get $v)
                    (local.get $x)))
                (f32x4.add
                  (f32x4.add
                    (f32x4.mul
                      (f32x4.add
                        (v128.load align=1
                          (i32.sub
                            (i32.sub
                              (local.tee $c
                                (i32.add
                                  (local.get $q)
                                  (local.get $x)))
                              (local.get $stride2))
                            (local.get $stride2)))
                        (v128.load align=1
                          (i32.add
                            (i32.add
                              (local.get $c)
                              (local.get $stride2))
                            (local.get $stride2))))
                      (local.get $vb2))
                    (f32x4.mul
                      (f32x4.add
                        (v128.load align=1
                          (i32.sub
                            (local.get $c)
                            (local.get $stride2)))
                        (v128.load align=1
                          (i32.add
                            (local.get $c)
                            (local.get $stride2))))
                      (local.get $vb1)))
                  (f32x4.mul
                    (v128.load align=1
                      (local.get $c))
                    (local.get $vb0)))))
            (local.set $x
              (i32.add
                (local.get $x)
                (i32.const 16)))
            (br $L3)))
        (local.set $q
          (i32.add
            (local.get $q)
            (local.get $stride)))
        (local.set $v
          (i32.add
            (i32.add
              (local.get $v)
              (local.get $stride))
            (i32.const 32)))
        (local.set $dst
          (i32.add
            (local.get $dst)
            (local.get $stride)))
        (local.set $y
          (i32.add
            (local.get $y)
            (i32.const 1)))
        (br $L1))))
  ;; Σ F1 and Σ F1² (F1 = I − V1 on the crop) into res (two f64): four lanes of float32 partial sums
  ;; per row, rows added in float64.
  (func $moments (export "moments") (type $t4) (param $img i32) (param $v1 i32) (param $w i32) (param $h i32) (param $res i32)
    (local $y i32) (local $x i32) (local $src i32) (local $v i32) (local $full i32) (local $rowBytes i32) (local $s1 v128) (local $s2 v128) (local $d v128) (local $t1 f32) (local $t2 f32) (local $e f32) (local $sum f64) (local $sum2 f64)
    (local.set $rowBytes
      (i32.shl
        (local.get $w)
        (i32.const 2)))
    (local.set $full
      (i32.shl
        (i32.and
          (local.get $w)
          (i32.const -4))
        (i32.const 2)))
    (local.set $src
      (local.get $img))
    (local.set $v
      (i32.add
        (local.get $v1)
        (i32.add
          (i32.mul
            (i32.add
              (local.get $w)
              (i32.const 8))
            (i32.const 16))
          (i32.const 16))))
    (local.set $y
      (i32.const 0))
    (block $B0
      (loop $L1
        (br_if $B0
          (i32.ge_s
            (local.get $y)
            (local.get $h)))
        (local.set $s2
          (local.tee $s1
            (f32x4.splat
              (f32.const 0x0p+0 (;=0;)))))
        (local.set $x
          (i32.const 0))
        (block $B2
          (loop $L3
            (br_if $B2
              (i32.ge_s
                (local.get $x)
                (local.get $full)))
            (local.set $s1
              (f32x4.add
                (local.tee $d
                  (f32x4.sub
                    (v128.load align=1
                      (i32.add
                        (local.get $src)
                        (local.get $x)))
                    (v128.load align=1
                      (i32.add
                        (local.get $v)
                        (local.get $x)))))
                (local.get $s1)))
            (local.set $s2
              (f32x4.add
                (f32x4.mul
                  (local.get $d)
                  (local.get $d))
                (local.get $s2)))
            (local.set $x
              (i32.add
                (local.get $x)
                (i32.const 16)))
            (br $L3)))
        (local.set $t1
          (f32.const 0x0p+0 (;=0;)))
        (local.set $t2
          (f32.const 0x0p+0 (;=0;)))
        (local.set $t1
          (f32.add
            (local.get $t1)
            (f32x4.extract_lane 0
              (local.get $s1))))
        (local.set $t2
          (f32.add
            (local.get $t2)
            (f32x4.extract_lane 0
              (local.get $s2))))
        (local.set $t1
          (f32.add
            (local.get $t1)
            (f32x4.extract_lane 1
              (local.get $s1))))
        (local.set $t2
          (f32.add
            (local.get $t2)
            (f32x4.extract_lane 1
              (local.get $s2))))
        (local.set $t1
          (f32.add
            (local.get $t1)
            (f32x4.extract_lane 2
              (local.get $s1))))
        (local.set $t2
          (f32.add
            (local.get $t2)
            (f32x4.extract_lane 2
              (local.get $s2))))
        (local.set $t1
          (f32.add
            (local.get $t1)
            (f32x4.extract_lane 3
              (local.get $s1))))
        (local.set $t2
          (f32.add
            (local.get $t2)
            (f32x4.extract_lane 3
              (local.get $s2))))
        (local.set $x
          (local.get $full))
        (block $B4
          (loop $L5
            (br_if $B4
              (i32.ge_s
                (local.get $x)
                (local.get $rowBytes)))
            (local.set $t1
              (f32.add
                (local.tee $e
                  (f32.sub
                    (f32.load
                      (i32.add
                        (local.get $src)
                        (local.get $x)))
                    (f32.load
                      (i32.add
                        (local.get $v)
                        (local.get $x)))))
                (local.get $t1)))
            (local.set $t2
              (f32.add
                (f32.mul
                  (local.get $e)
                  (local.get $e))
                (local.get $t2)))
            (local.set $x
              (i32.add
                (local.get $x)
                (i32.const 4)))
            (br $L5)))
        (local.set $sum
          (f64.add
            (local.get $sum)
            (f64.promote_f32
              (local.get $t1))))
        (local.set $sum2
          (f64.add
            (local.get $sum2)
            (f64.promote_f32
              (local.get $t2))))
        (local.set $src
          (i32.add
            (local.get $src)
            (local.get $rowBytes)))
        (local.set $v
          (i32.add
            (i32.add
              (local.get $v)
              (local.get $rowBytes))
            (i32.const 32)))
        (local.set $y
          (i32.add
            (local.get $y)
            (i32.const 1)))
        (br $L1)))
    (f64.store
      (local.get $res)
      (local.get $sum))
    (f64.store offset=8
      (local.get $res)
      (local.get $sum2)))
  ;; Start indices (pixels) of the 4-pixel groups of `img` (n pixels) with any value > threshold,
  ;; into `list`; their count into `res` (i32). The local-maximum test then runs on these only.
  (func $above (export "above") (type $t5) (param $img i32) (param $n i32) (param $threshold f32) (param $list i32) (param $res i32)
    (local $i i32) (local $count i32) (local $t v128)
    (local.set $t
      (f32x4.splat
        (local.get $threshold)))
    (local.set $i
      (i32.const 0))
    (block $B0
      (loop $L1
        (br_if $B0
          (i32.ge_s
            (local.get $i)
            (local.get $n)))
        (if $I2
          (v128.any_true
            (f32x4.gt
              (v128.load align=1
                (i32.add
                  (local.get $img)
                  (i32.shl
                    (local.get $i)
                    (i32.const 2))))
              (local.get $t)))
          (then
            (i32.store
              (i32.add
                (local.get $list)
                (i32.shl
                  (local.get $count)
                  (i32.const 2)))
              (local.get $i))
            (local.set $count
              (i32.add
                (local.get $count)
                (i32.const 1)))))
        (local.set $i
          (i32.add
            (local.get $i)
            (i32.const 4)))
        (br $L1)))
    (i32.store
      (local.get $res)
      (local.get $count))))
