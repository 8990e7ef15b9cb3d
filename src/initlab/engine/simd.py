"""A SIMD vector for numba kernels: one 512-bit register of float64 (8 lanes) or float32 (16).

numba has no vector type, and it turns LLVM's SLP vectorizer off (numba issue #8705), so a kernel
that keeps several rows × several vectors of samples in registers — the register-blocked
micro-kernel of every fast matrix multiply (Goto & van de Geijn 2008, "Anatomy of high-performance
matrix multiplication", ACM TOMS 34(3)) — cannot be written with scalars and left to LLVM: the
loop-carried accumulators are scalarized and re-packed every pass. :class:`Vec` is a numba type
whose machine representation is LLVM's ``<W x T>`` vector, so an accumulator lives in one register
across a loop, and the intrinsics below are single LLVM vector instructions:

``vload(a, i)`` / ``vstore(a, i, v)``  W consecutive elements ``a[i : i + W]`` (unaligned)
``at(a, i)``                           the scalar ``a[i]``, i ≥ 0 taken on trust: numba's own
                                       ``a[i]`` adds a negative-index test (three integer
                                       instructions) to every weight read in a tile's inner loop
``vsplat(x)``                          x in every lane
``vfma(x, v, acc)``                     acc + x·v, fused (one rounding; x a scalar)
``vfma_vv(u, v, acc)``                  acc + u·v, fused, lane by lane
``vmul(x, v)``, ``vadd(u, v)``          x·v, u + v
``vadd_s(v, x)``                       v + x in every lane
``vrelu(v)``                           0 where v < 0, else v: ``np.maximum(0, z)`` bit for bit (NaN
                                       and −0 pass); one max instruction
``vmask(d, a)``                         d where a > 0, else 0: ReLU's derivative applied
``vsub(u, v)``, ``vdiv(u, v)``         u − v, u / v
``vexp(v)``                            e^v, within about 1 ulp (see its docstring)
``vhsum(v)``                           the lanes' sum, pairwise in a fixed order: (v[0:W/2] +
                                       v[W/2:W]), then halves again, down to one lane
``vhsums(a, i)``                       the W vectors at ``a[i : i + W·W]`` summed as ``vhsum``
                                       sums each, bit for bit: one vector of their W sums

The element type follows the array or scalar given (float64 or float32), the width is 64 bytes
(AVX-512; on narrower machines LLVM splits each operation into two or four). Every operation is
IEEE: the only rounding difference from scalar code is the fused multiply-add, whose single
rounding is the exact product-sum rounded once (IEEE 754-2008 fusedMultiplyAdd).
"""

from __future__ import annotations

import math

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic, models, register_model

__all__ = [
    "Vec",
    "at",
    "vadd",
    "vadd_s",
    "vdiv",
    "vexp",
    "vfma",
    "vfma_vv",
    "vhsum",
    "vhsums",
    "vload",
    "vmask",
    "vmul",
    "vrelu",
    "vsplat",
    "vstore",
    "vsub",
    "width",
]

_I32 = ir.IntType(32)
BYTES = 64  # one AVX-512 register


def width(itemsize: int) -> int:
    """Lanes of a vector of elements of ``itemsize`` bytes: 8 for float64, 16 for float32."""
    return BYTES // itemsize


class Vec(types.Type):
    """numba type: one vector of ``width`` lanes of ``dtype`` (float64 or float32)."""

    def __init__(self, dtype: types.Float) -> None:
        self.dtype = dtype
        self.width = width(dtype.bitwidth // 8)
        super().__init__(name=f"Vec({dtype}x{self.width})")


@register_model(Vec)
class _VecModel(models.PrimitiveModel):
    def __init__(self, dmm, fe_type):
        element = dmm.lookup(fe_type.dtype).get_value_type()
        super().__init__(dmm, fe_type, ir.VectorType(element, fe_type.width))


def _scalar(context, builder, x, fromty, toty):
    """The scalar ``x`` in the vector's element type (a literal or a float of the other width)."""
    return context.cast(builder, x, fromty, toty)


def _splat(builder, vt, x):
    one = builder.insert_element(ir.Constant(vt, ir.Undefined), x, ir.Constant(_I32, 0))
    zeros = ir.Constant(ir.VectorType(_I32, vt.count), [0] * vt.count)
    return builder.shuffle_vector(one, ir.Constant(vt, ir.Undefined), zeros)


def _pointer(context, builder, arraytype, array, index, vt):
    data = context.make_array(arraytype)(context, builder, array).data
    return builder.bitcast(builder.gep(data, [index]), vt.as_pointer())


def _fma(builder, vt, dtype, a, b, c):
    name = f"llvm.fma.v{vt.count}f{dtype.bitwidth}"
    fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(vt, [vt, vt, vt]), name)
    return builder.call(fn, [a, b, c])


@intrinsic
def vload(typingctx, array, index):
    vec = Vec(array.dtype)

    def codegen(context, builder, sig, args):
        vt = context.get_value_type(vec)
        ptr = _pointer(context, builder, sig.args[0], args[0], args[1], vt)
        return builder.load(ptr, align=array.dtype.bitwidth // 8)

    return vec(array, index), codegen


@intrinsic
def at(typingctx, array, index):
    """array[index] for an index the caller knows is in range (no wraparound, no bounds check)."""

    def codegen(context, builder, sig, args):
        data = context.make_array(sig.args[0])(context, builder, args[0]).data
        return builder.load(builder.gep(data, [args[1]]))

    return array.dtype(array, index), codegen


@intrinsic
def vstore(typingctx, array, index, v):
    def codegen(context, builder, sig, args):
        vt = context.get_value_type(v)
        ptr = _pointer(context, builder, sig.args[0], args[0], args[1], vt)
        builder.store(args[2], ptr, align=array.dtype.bitwidth // 8)
        return context.get_dummy_value()

    return types.none(array, index, v), codegen


@intrinsic
def vsplat(typingctx, x, like):
    """x in every lane of a vector of ``like``'s type (``like`` is only its type)."""

    def codegen(context, builder, sig, args):
        x_ = _scalar(context, builder, args[0], x, like.dtype)
        return _splat(builder, context.get_value_type(like), x_)

    return like(x, like), codegen


@intrinsic
def vfma(typingctx, x, v, acc):
    def codegen(context, builder, sig, args):
        vt = context.get_value_type(v)
        x_ = _scalar(context, builder, args[0], x, v.dtype)
        return _fma(builder, vt, v.dtype, _splat(builder, vt, x_), args[1], args[2])

    return v(x, v, acc), codegen


@intrinsic
def vfma_vv(typingctx, u, v, acc):
    def codegen(context, builder, sig, args):
        return _fma(builder, context.get_value_type(v), v.dtype, args[0], args[1], args[2])

    return v(u, v, acc), codegen


@intrinsic
def vmul(typingctx, x, v):
    def codegen(context, builder, sig, args):
        x_ = _scalar(context, builder, args[0], x, v.dtype)
        return builder.fmul(_splat(builder, context.get_value_type(v), x_), args[1])

    return v(x, v), codegen


@intrinsic
def vadd_s(typingctx, v, x):
    def codegen(context, builder, sig, args):
        x_ = _scalar(context, builder, args[1], x, v.dtype)
        return builder.fadd(args[0], _splat(builder, context.get_value_type(v), x_))

    return v(v, x), codegen


@intrinsic
def vrelu(typingctx, v):
    """max(0, v) as x86's max computes it (v < 0 ? 0 : v): one ``vmaxpd`` where the compare and
    select of v ≤ 0 took two instructions; NaN and −0 pass, exactly as ``np.maximum(0, z)``."""

    def codegen(context, builder, sig, args):
        vt = context.get_value_type(v)
        zero = ir.Constant(vt, [0.0] * vt.count)
        return builder.select(builder.fcmp_ordered("<", args[0], zero), zero, args[0])

    return v(v), codegen


@intrinsic
def vhsum(typingctx, v):
    def codegen(context, builder, sig, args):
        x, n = args[0], v.width
        while n > 1:
            n //= 2
            lo = ir.Constant(ir.VectorType(_I32, n), list(range(n)))
            hi = ir.Constant(ir.VectorType(_I32, n), list(range(n, 2 * n)))
            x = builder.fadd(builder.shuffle_vector(x, x, lo), builder.shuffle_vector(x, x, hi))
        return builder.extract_element(x, ir.Constant(_I32, 0))

    return v.dtype(v), codegen


@intrinsic
def vhsums(typingctx, array, index):
    """The W vectors stored at ``array[index : index + W·W]``, each summed exactly as
    :func:`vhsum` sums it, as one vector: lane k is ``vhsum`` of the k-th. A transposed reduction:
    at each level two vectors, each a row of groups (one per vector summed), are halved group by
    group — first halves of both into one vector, second halves into another — and added, so every
    lane adds what ``vhsum`` adds at that level; W − 1 additions and 2(W − 1) shuffles for W sums,
    where W ``vhsum`` take W·log2(W) of each."""
    vec = Vec(array.dtype)

    def codegen(context, builder, sig, args):
        vt = context.get_value_type(vec)
        W = vt.count
        step = ir.Constant(args[1].type, W)
        rows, where = [], args[1]
        for _ in range(W):
            ptr = _pointer(context, builder, sig.args[0], args[0], where, vt)
            rows.append(builder.load(ptr, align=array.dtype.bitwidth // 8))
            where = builder.add(where, step)
        groups, length = 1, W  # each row: `groups` partial vectors of `length` lanes
        while length > 1:
            half = length // 2
            first = [g * length + t for g in range(groups) for t in range(half)]
            first = first + [W + i for i in first]
            second = [i + half for i in first]
            rows = [
                builder.fadd(
                    builder.shuffle_vector(x, y, ir.Constant(ir.VectorType(_I32, W), first)),
                    builder.shuffle_vector(x, y, ir.Constant(ir.VectorType(_I32, W), second)),
                )
                for x, y in zip(rows[0::2], rows[1::2], strict=True)
            ]
            groups, length = groups * 2, half
        return rows[0]

    return vec(array, index), codegen


#: e^r on |r| ≤ ln2/2: Taylor coefficients 1/k! up to the degree whose remainder
#: (ln2/2)^(d+1)/(d+1)! is below half an ulp (float64: d = 13, 4e-18; float32: d = 7, 3e-9)
_DEGREE = {64: 13, 32: 7}
#: ln 2 split so that n·LN2_HI is exact for |n| < 2^11 (float64) / 2^8 (float32): Cody & Waite
#: (1980), "Software manual for the elementary functions"
_LN2 = {64: (0.693145751953125, 1.42860682030941723212e-6), 32: (0.693359375, -2.12194440e-4)}
_MANTISSA = {64: 52, 32: 23}
_BIAS = {64: 1023, 32: 127}
_LIMIT = {64: 1400.0, 32: 170.0}  # e^±x is ∞ / 0 in the type, and 2^(n/2) stays normal


@intrinsic
def vexp(typingctx, v):
    """e^v lane by lane, within ≈1 ulp: n = rint(v·log2 e), r = v − n·ln 2 (Cody–Waite, two
    FMAs), e^r by its Taylor polynomial (Horner, FMAs), times 2^⌊n/2⌋·2^(n−⌊n/2⌋) built from the
    exponent bits (so overflow gives ∞ and underflow 0 or a subnormal, as ``exp`` does); NaN stays
    NaN, ±∞ gives ∞ / 0."""
    bits = v.dtype.bitwidth

    def codegen(context, builder, sig, args):
        vt = context.get_value_type(v)
        it = ir.VectorType(ir.IntType(bits), vt.count)

        def c(x):
            return ir.Constant(vt, [x] * vt.count)

        def call(name, *xs):
            fnty = ir.FunctionType(vt, [vt] * len(xs))
            fn = cgutils.get_or_insert_function(builder.module, fnty, f"{name}.v{vt.count}f{bits}")
            return builder.call(fn, list(xs))

        x = args[0]
        clamped = call("llvm.minnum", call("llvm.maxnum", x, c(-_LIMIT[bits])), c(_LIMIT[bits]))
        n = call("llvm.rint", builder.fmul(clamped, c(1.4426950408889634)))
        hi, lo = _LN2[bits]
        r = _fma(builder, vt, v.dtype, builder.fneg(n), c(hi), clamped)
        r = _fma(builder, vt, v.dtype, builder.fneg(n), c(lo), r)
        p = c(1.0 / math.factorial(_DEGREE[bits]))
        for k in range(_DEGREE[bits] - 1, -1, -1):  # Horner: p ← p·r + 1/k!
            p = _fma(builder, vt, v.dtype, p, r, c(1.0 / math.factorial(k)))
        ni = builder.fptosi(n, it)
        half = builder.ashr(ni, ir.Constant(it, [1] * vt.count))
        rest = builder.sub(ni, half)
        shift = ir.Constant(it, [_MANTISSA[bits]] * vt.count)
        bias = ir.Constant(it, [_BIAS[bits]] * vt.count)
        s1 = builder.bitcast(builder.shl(builder.add(half, bias), shift), vt)
        s2 = builder.bitcast(builder.shl(builder.add(rest, bias), shift), vt)
        y = builder.fmul(builder.fmul(p, s1), s2)
        isnan = builder.fcmp_unordered("uno", x, x)
        return builder.select(isnan, x, y)

    return v(v), codegen


@intrinsic
def vmask(typingctx, d, a):
    """d where a > 0, else +0: ReLU's derivative applied, the reference's ``D·(A > 0)`` for every
    finite d but the sign of a zero (−x·0 is −0; here +0). A non-finite d where a ≤ 0 gives 0, not
    NaN; in training that can only follow an overflow of Wᵀ·dZ while the forward pass stays
    finite. A select, not a multiply: it folds into the instruction that made d (AVX-512 zero
    masking), which made the course's kernel about 5 % faster."""

    def codegen(context, builder, sig, args):
        vt = context.get_value_type(d)
        zeros = ir.Constant(vt, [0.0] * vt.count)
        positive = builder.fcmp_ordered(">", args[1], zeros)
        return builder.select(positive, args[0], zeros)

    return d(d, a), codegen


def _lanewise(op: str) -> object:
    """An intrinsic ``(u, v) → u op v`` lane by lane, ``op`` an llvmlite builder method."""

    def typer(typingctx, u, v):
        def codegen(context, builder, sig, args):
            return getattr(builder, op)(args[0], args[1])

        return v(u, v), codegen

    return intrinsic(typer)


vadd = _lanewise("fadd")
vsub = _lanewise("fsub")
vdiv = _lanewise("fdiv")
