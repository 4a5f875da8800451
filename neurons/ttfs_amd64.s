//go:build amd64 && !purego

#include "textflag.h"

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv0() uint32
TEXT ·xgetbv0(SB), NOSPLIT, $0-4
	MOVL $0, CX
	XGETBV
	MOVL AX, ret+0(FP)
	RET

// func ttfsStepBlocksAVX2(a, u, un, w *float64, live []int32, masks *uint8, e, dx, cn float64) bool
//
// Per block of 8 neurons at byte offset 64·live[i]: aj = a + w·e and un = u + aj·dx, each
// rounded after the product and after the sum as the Go code is; mask bit j is set if
// un ≥ cn or (aj > u and aj < un), ordered comparisons, so NaN passes neither.
TEXT ·ttfsStepBlocksAVX2(SB), NOSPLIT, $0-89
	MOVQ a+0(FP), DI
	MOVQ u+8(FP), SI
	MOVQ un+16(FP), DX
	MOVQ w+24(FP), R8
	MOVQ live_base+32(FP), R9
	MOVQ live_len+40(FP), R10
	MOVQ masks+56(FP), R11
	VBROADCASTSD e+64(FP), Y0
	VBROADCASTSD dx+72(FP), Y1
	VBROADCASTSD cn+80(FP), Y2
	XORQ AX, AX
	XORQ CX, CX

loop:
	CMPQ CX, R10
	JGE  done
	MOVLQSX (R9)(CX*4), BX
	SHLQ $6, BX

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

	// un >= cn (GE_OQ)
	VCMPPD $0x1d, Y2, Y7, Y9
	VCMPPD $0x1d, Y2, Y8, Y10
	// aj > u (GT_OQ)
	VCMPPD $0x1e, Y5, Y3, Y11
	VCMPPD $0x1e, Y6, Y4, Y12
	// aj < un (LT_OQ)
	VCMPPD $0x11, Y7, Y3, Y13
	VCMPPD $0x11, Y8, Y4, Y14
	VANDPD Y13, Y11, Y11
	VANDPD Y14, Y12, Y12
	VORPD  Y11, Y9, Y9
	VORPD  Y12, Y10, Y10
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
	SETNE ret+88(FP)
	RET
