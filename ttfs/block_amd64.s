//go:build amd64 && !purego

#include "textflag.h"

// func stepBlocksAVX2(a, u, un, w, ws *float64, live []int32, masks *uint8, e, dx, lim, c0 float64, peaks bool) bool
//
// Per block of 8 neurons at byte offset 64·live[i]: aj = a + w·e and un = u + aj·dx, each
// rounded after the product and after the sum as the Go code is; mask bit j is set if
// un ≥ lim or, with peaks, if aj ≥ c0 and aj > u and aj < un: ordered comparisons, so NaN
// passes neither. If ws is not nil, ws = ws + w.
TEXT ·stepBlocksAVX2(SB), NOSPLIT, $0-113
	MOVQ a+0(FP), DI
	MOVQ u+8(FP), SI
	MOVQ un+16(FP), DX
	MOVQ w+24(FP), R8
	MOVQ ws+32(FP), R14
	MOVQ live_base+40(FP), R9
	MOVQ live_len+48(FP), R10
	MOVQ masks+64(FP), R11
	VBROADCASTSD e+72(FP), Y0
	VBROADCASTSD dx+80(FP), Y1
	VBROADCASTSD lim+88(FP), Y2
	VBROADCASTSD c0+96(FP), Y15
	MOVBQZX peaks+104(FP), R15
	XORQ AX, AX
	XORQ CX, CX

loop:
	CMPQ CX, R10
	JGE  done
	MOVLQSX (R9)(CX*4), BX
	SHLQ $6, BX

	TESTQ R14, R14
	JZ    nosum
	VMOVUPD (R8)(BX*1), Y3
	VMOVUPD 32(R8)(BX*1), Y4
	VADDPD  (R14)(BX*1), Y3, Y3
	VADDPD  32(R14)(BX*1), Y4, Y4
	VMOVUPD Y3, (R14)(BX*1)
	VMOVUPD Y4, 32(R14)(BX*1)

nosum:
	VMULPD  (R8)(BX*1), Y0, Y3
	VMULPD  32(R8)(BX*1), Y0, Y4
	VADDPD  (DI)(BX*1), Y3, Y3
	VADDPD  32(DI)(BX*1), Y4, Y4
	VMOVUPD Y3, (DI)(BX*1)
	VMOVUPD Y4, 32(DI)(BX*1)

	VMOVUPD (SI)(BX*1), Y5
	VMOVUPD 32(SI)(BX*1), Y6
	VMULPD  Y1, Y3, Y7
	VMULPD  Y1, Y4, Y8
	VADDPD  Y5, Y7, Y7
	VADDPD  Y6, Y8, Y8
	VMOVUPD Y7, (DX)(BX*1)
	VMOVUPD Y8, 32(DX)(BX*1)

	// un >= lim (GE_OQ)
	VCMPPD $0x1d, Y2, Y7, Y9
	VCMPPD $0x1d, Y2, Y8, Y10
	TESTQ  R15, R15
	JZ     mask
	// aj > u (GT_OQ)
	VCMPPD $0x1e, Y5, Y3, Y11
	VCMPPD $0x1e, Y6, Y4, Y12
	// aj < un (LT_OQ)
	VCMPPD $0x11, Y7, Y3, Y13
	VCMPPD $0x11, Y8, Y4, Y14
	VANDPD Y13, Y11, Y11
	VANDPD Y14, Y12, Y12
	// aj >= c0 (GE_OQ): a peak below c·e^x0 stays below threshold
	VCMPPD $0x1d, Y15, Y3, Y13
	VCMPPD $0x1d, Y15, Y4, Y14
	VANDPD Y13, Y11, Y11
	VANDPD Y14, Y12, Y12
	VORPD  Y11, Y9, Y9
	VORPD  Y12, Y10, Y10

mask:
	VMOVMSKPD Y9, R12
	VMOVMSKPD Y10, R13
	SHLQ $4, R13
	ORQ  R13, R12
	MOVB R12B, (R11)(CX*1)
	ORQ  R12, AX

	INCQ CX
	JMP  loop

done:
	VZEROUPPER
	TESTQ AX, AX
	SETNE ret+112(FP)
	RET

// func accumulateRowsAVX2(dst, w *float64, idx []int32, stride, n4 int, neg bool)
//
// For each k in order and j < 4·n4: dst[j] = dst[j] + w[idx[k]·stride + j], or − with neg:
// one rounding per operation, as the Go loop does.
TEXT ·accumulateRowsAVX2(SB), NOSPLIT, $0-57
	MOVQ    dst+0(FP), DI
	MOVQ    w+8(FP), SI
	MOVQ    idx_base+16(FP), R8
	MOVQ    idx_len+24(FP), R9
	MOVQ    stride+40(FP), R10
	SHLQ    $3, R10
	MOVQ    n4+48(FP), R11
	MOVBQZX neg+56(FP), AX
	XORQ    CX, CX

rows:
	CMPQ    CX, R9
	JGE     rowsdone
	MOVLQSX (R8)(CX*4), BX
	IMULQ   R10, BX
	ADDQ    SI, BX
	XORQ    DX, DX
	MOVQ    R11, R12
	TESTQ   AX, AX
	JNZ     sub

add:
	TESTQ   R12, R12
	JZ      next
	VMOVUPD (DI)(DX*1), Y0
	VADDPD  (BX)(DX*1), Y0, Y0
	VMOVUPD Y0, (DI)(DX*1)
	ADDQ    $32, DX
	DECQ    R12
	JMP     add

sub:
	TESTQ   R12, R12
	JZ      next
	VMOVUPD (DI)(DX*1), Y0
	VSUBPD  (BX)(DX*1), Y0, Y0
	VMOVUPD Y0, (DI)(DX*1)
	ADDQ    $32, DX
	DECQ    R12
	JMP     sub

next:
	INCQ    CX
	JMP     rows

rowsdone:
	VZEROUPPER
	RET
