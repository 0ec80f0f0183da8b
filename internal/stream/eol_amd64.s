#include "textflag.h"

// func eolMasksSSE2(p []byte, masks []uint64) (cr bool)
//
// For each i < len(masks), masks[i] gets bit j set when p[64*i+j] is '\n'
// or '\r'; cr reports whether any of those bytes is '\r'. The caller
// makes len(p) >= 64*len(masks). SSE2 only, which every amd64 has.
TEXT ·eolMasksSSE2(SB), NOSPLIT, $0-49
	MOVQ  p_base+0(FP), SI
	MOVQ  masks_base+24(FP), DI
	MOVQ  masks_len+32(FP), CX
	PXOR  X10, X10
	TESTQ CX, CX
	JZ    done

	MOVQ       $0x0a0a0a0a0a0a0a0a, AX
	MOVQ       AX, X8
	PUNPCKLQDQ X8, X8
	MOVQ       $0x0d0d0d0d0d0d0d0d, AX
	MOVQ       AX, X9
	PUNPCKLQDQ X9, X9

loop:
	MOVOU    0(SI), X0
	MOVOU    16(SI), X2
	MOVOU    32(SI), X4
	MOVOU    48(SI), X6
	MOVO     X0, X1
	MOVO     X2, X3
	MOVO     X4, X5
	MOVO     X6, X7
	PCMPEQB  X8, X0
	PCMPEQB  X9, X1
	PCMPEQB  X8, X2
	PCMPEQB  X9, X3
	PCMPEQB  X8, X4
	PCMPEQB  X9, X5
	PCMPEQB  X8, X6
	PCMPEQB  X9, X7
	POR      X1, X10
	POR      X3, X10
	POR      X5, X10
	POR      X7, X10
	POR      X1, X0
	POR      X3, X2
	POR      X5, X4
	POR      X7, X6
	PMOVMSKB X0, AX
	PMOVMSKB X2, BX
	PMOVMSKB X4, DX
	PMOVMSKB X6, R8
	SHLQ     $16, BX
	SHLQ     $32, DX
	SHLQ     $48, R8
	ORQ      BX, AX
	ORQ      R8, DX
	ORQ      DX, AX
	MOVQ     AX, 0(DI)
	ADDQ     $64, SI
	ADDQ     $8, DI
	DECQ     CX
	JNZ      loop

done:
	PMOVMSKB X10, AX
	TESTL    AX, AX
	SETNE    cr+48(FP)
	RET

// func eolMasksAVX512(p []byte, masks []uint64) (cr bool)
//
// eolMasksSSE2 with one 64-byte compare per block, for CPUs with
// AVX-512BW (the caller checks).
TEXT ·eolMasksAVX512(SB), NOSPLIT, $0-49
	MOVQ  p_base+0(FP), SI
	MOVQ  masks_base+24(FP), DI
	MOVQ  masks_len+32(FP), CX
	XORQ  R9, R9
	TESTQ CX, CX
	JZ    done

	MOVL         $0x0a, AX
	VPBROADCASTB AX, Z1
	MOVL         $0x0d, AX
	VPBROADCASTB AX, Z2

loop:
	VMOVDQU64 (SI), Z0
	VPCMPEQB  Z1, Z0, K1
	VPCMPEQB  Z2, Z0, K2
	KORQ      K1, K2, K3
	KMOVQ     K3, AX
	KMOVQ     K2, BX
	MOVQ      AX, 0(DI)
	ORQ       BX, R9
	ADDQ      $64, SI
	ADDQ      $8, DI
	DECQ      CX
	JNZ       loop
	VZEROUPPER

done:
	TESTQ R9, R9
	SETNE cr+48(FP)
	RET
