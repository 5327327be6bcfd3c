// neurodyn's native CPU kernels for event-driven propagation, called through XLA's FFI.
// Built on first use by neurodyn/math/_native/__init__.py; every kernel has a pure-JAX twin
// in neurodyn/math/_events.py that gives the same numbers (tests/math/test_native.py).
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <thread>
#include <type_traits>
#include <vector>
#ifdef __AVX2__
#include <immintrin.h>
#endif

#include "xla/ffi/api/ffi.h"

namespace ffi = xla::ffi;

namespace {

// out[b, t] = sum over presynaptic i with s[b, i] != 0 and slots l with rows[i, l] == t of
//             s[b, i] * w[i, l]   (w of shape (1, 1): the weight is 1; the caller scales).
// s: (B, n_pre) bool or float32; rows: (n_pre + 1, L) int32 padded with post; out: (B, post).
template <typename T>
void EventRows(const T* s, const int32_t* rows, const float* w, bool full, int64_t B, int64_t n_pre,
               int64_t L, int64_t post, float* out) {
  for (int64_t b = 0; b < B; ++b) {
    const T* sb = s + b * n_pre;
    float* __restrict__ ob = out + b * post;
    std::memset(ob, 0, sizeof(float) * post);
    for (int64_t i = 0; i < n_pre; ++i) {
      if (!sb[i]) continue;
      const float v = static_cast<float>(sb[i]);
      const int32_t* r = rows + i * L;
      if (full) {
        const float* wi = w + i * L;
        for (int64_t l = 0; l < L; ++l)
          if (r[l] < post) ob[r[l]] += v * wi[l];
      } else {
        for (int64_t l = 0; l < L; ++l)
          if (r[l] < post) ob[r[l]] += v;
      }
    }
  }
}

ffi::Error EventCsrImpl(ffi::AnyBuffer s, ffi::Buffer<ffi::S32> rows, ffi::Buffer<ffi::F32> w,
                        ffi::ResultBuffer<ffi::F32> out) {
  const auto sd = s.dimensions();
  const auto rd = rows.dimensions();
  const auto od = out->dimensions();
  if (sd.size() != 2 || rd.size() != 2 || od.size() != 2)
    return ffi::Error::InvalidArgument("event_csr: spikes, rows and output must be 2-D");
  const int64_t B = sd[0], n_pre = sd[1], L = rd[1], post = od[1];
  if (rd[0] != n_pre + 1 || od[0] != B)
    return ffi::Error::InvalidArgument("event_csr: rows must be (n_pre + 1, L), output (B, post)");
  const bool full = w.element_count() != 1;
  if (full && w.element_count() != rows.element_count())
    return ffi::Error::InvalidArgument("event_csr: weights must be one value or one per slot of rows");
  const int32_t* r = rows.typed_data();
  const float* wp = w.typed_data();
  float* o = out->typed_data();
  switch (s.element_type()) {
    case ffi::DataType::PRED:
      EventRows(static_cast<const bool*>(s.untyped_data()), r, wp, full, B, n_pre, L, post, o);
      break;
    case ffi::DataType::F32:
      EventRows(static_cast<const float*>(s.untyped_data()), r, wp, full, B, n_pre, L, post, o);
      break;
    default:
      return ffi::Error::InvalidArgument("event_csr: spikes must be bool or float32");
  }
  return ffi::Error::Success();
}


// ----------------------------------------------------------------------------- event matmul
// The nonzero entries of s (R, K), grouped by column k (counting sort): rows[pos[k]:pos[k+1]]
// and vals[...] are the rows r with s[r, k] != 0 and their values, in increasing r.
// Also, in row order: tmp_k[row_pos[r]:row_pos[r+1]] and tmp_v[...] are the columns k with
// s[r, k] != 0 and their values.
struct Columns {
  std::vector<int32_t> pos, rows, cursor, tmp_k, tmp_r;
  std::vector<int64_t> row_pos;
  std::vector<float> vals, tmp_v;
};

// Calls add(k) for each k < K with p[k] != 0, in increasing k (8 or 32 entries at a time
// where the CPU has AVX2; most spike vectors are zero almost everywhere).
template <typename T, typename F>
inline void ForNonzero(const T* p, int64_t K, F&& add) {
  int64_t k = 0;
#ifdef __AVX2__
  if constexpr (sizeof(T) == 4) {
    const __m256 zero = _mm256_setzero_ps();
    for (; k + 8 <= K; k += 8) {
      unsigned m = unsigned(_mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(p + k), zero, _CMP_NEQ_UQ)));
      while (m) { add(k + __builtin_ctz(m)); m &= m - 1; }
    }
  } else {
    const __m256i zero = _mm256_setzero_si256();
    for (; k + 32 <= K; k += 32) {
      const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + k));
      unsigned m = ~unsigned(_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, zero)));
      while (m) { add(k + __builtin_ctz(m)); m &= m - 1; }
    }
  }
#endif
  for (; k < K; ++k)
    if (p[k]) add(k);
}

template <typename T>
void Gather(const T* s, int64_t R, int64_t K, Columns& c) {
  if (int64_t(c.tmp_k.size()) < R * K) { c.tmp_k.resize(R * K); c.tmp_r.resize(R * K); c.tmp_v.resize(R * K); }
  int32_t* tk = c.tmp_k.data(); int32_t* tr = c.tmp_r.data(); float* tv = c.tmp_v.data();
  int64_t nnz = 0;
  c.row_pos.resize(R + 1);
  for (int64_t r = 0; r < R; ++r) {
    c.row_pos[r] = nnz;
    const T* sr = s + r * K;
    ForNonzero(sr, K, [&](int64_t k) { tk[nnz] = int32_t(k); tr[nnz] = int32_t(r); tv[nnz] = float(sr[k]); ++nnz; });
  }
  c.row_pos[R] = nnz;
  c.pos.assign(K + 1, 0);
  for (int64_t e = 0; e < nnz; ++e) ++c.pos[tk[e] + 1];
  for (int64_t k = 0; k < K; ++k) c.pos[k + 1] += c.pos[k];
  c.rows.resize(nnz); c.vals.resize(nnz);
  c.cursor.assign(c.pos.begin(), c.pos.end() - 1);
  for (int64_t e = 0; e < nnz; ++e) {
    const int32_t at = c.cursor[tk[e]]++;
    c.rows[at] = tr[e]; c.vals[at] = tv[e];
  }
}

typedef float v8 __attribute__((vector_size(32), aligned(4)));
constexpr int kChunk = 8;     // v8 registers in the widest column block (64 floats)

// Runs work(part) for every part in [0, parts): on the calling thread and on up to
// num_threads - 1 workers of XLA's intra-op thread pool. A part is claimed before it runs, and
// the caller waits only for parts a worker has claimed, so a worker that starts late (or never,
// while the pool is busy) costs nothing: the caller does the remaining parts itself.
template <typename F>
void Parallel(ffi::ThreadPool& pool, int64_t parts, int64_t work_size, const F& work) {
  struct Shared { std::atomic<int64_t> next{0}, done{0}; };
  const int64_t helpers = work_size < (int64_t(1) << 18) ? 0 : std::min(pool.num_threads() - 1, parts - 1);
  if (helpers <= 0) {
    for (int64_t p = 0; p < parts; ++p) work(p);
    return;
  }
  auto shared = std::make_shared<Shared>();
  auto drain = [shared, parts, &work]() {
    for (int64_t p; (p = shared->next.fetch_add(1)) < parts;) {
      work(p);
      shared->done.fetch_add(1, std::memory_order_release);
    }
  };
  for (int64_t h = 0; h < helpers; ++h) pool.Schedule(decltype(drain)(drain));
  drain();
  while (shared->done.load(std::memory_order_acquire) < parts) std::this_thread::yield();
}

// Columns [n, n + 8 C) of out = s @ w (R, N): row r sums the rows of w that row r of s selects.
template <int C>
void ScatterBlock(const Columns& c, const float* w, int64_t R, int64_t N, int64_t n, float* out) {
  const int32_t* ks = c.tmp_k.data();
  const float* vs = c.tmp_v.data();
  for (int64_t r = 0; r < R; ++r) {
    v8 acc[C];
    for (int q = 0; q < C; ++q) acc[q] = v8{};
    for (int64_t e = c.row_pos[r]; e < c.row_pos[r + 1]; ++e) {
      const v8* wk = reinterpret_cast<const v8*>(w + int64_t(ks[e]) * N + n);
      const float v = vs[e];
      for (int q = 0; q < C; ++q) acc[q] += v * wk[q];
    }
    std::memcpy(out + r * N + n, acc, sizeof(acc));
  }
}

// Rows [k0, k1) and columns [n, n + 8 C) of out = s^T @ g (K, N): row k sums the rows of g
// that column k of s reaches.
template <int C>
void GatherBlock(const Columns& c, const float* g, int64_t k0, int64_t k1, int64_t N, int64_t n, float* out) {
  for (int64_t k = k0; k < k1; ++k) {
    v8 acc[C];
    for (int q = 0; q < C; ++q) acc[q] = v8{};
    for (int32_t e = c.pos[k]; e < c.pos[k + 1]; ++e) {
      const v8* gr = reinterpret_cast<const v8*>(g + int64_t(c.rows[e]) * N + n);
      const float v = c.vals[e];
      for (int q = 0; q < C; ++q) acc[q] += v * gr[q];
    }
    std::memcpy(out + k * N + n, acc, sizeof(acc));
  }
}

// Calls block(C, n) over [n0, n1) with the widest blocks that fit (64, 32, 16, 8 columns),
// then scalar(n) for the last n1 - n0 mod 8 columns.
template <typename B, typename S>
void Blocks(int64_t n0, int64_t n1, const B& block, const S& scalar) {
  int64_t n = n0;
  for (; n + 64 <= n1; n += 64) block(std::integral_constant<int, 8>{}, n);
  if (n + 32 <= n1) { block(std::integral_constant<int, 4>{}, n); n += 32; }
  if (n + 16 <= n1) { block(std::integral_constant<int, 2>{}, n); n += 16; }
  if (n + 8 <= n1) { block(std::integral_constant<int, 1>{}, n); n += 8; }
  for (; n < n1; ++n) scalar(n);
}

void ScatterRows(const Columns& c, const float* w, int64_t R, int64_t N, int64_t n0, int64_t n1, float* out) {
  Blocks(n0, n1, [&](auto C, int64_t n) { ScatterBlock<decltype(C)::value>(c, w, R, N, n, out); },
         [&](int64_t n) {
           for (int64_t r = 0; r < R; ++r) {
             float a = 0.f;
             for (int64_t e = c.row_pos[r]; e < c.row_pos[r + 1]; ++e) a += c.tmp_v[e] * w[int64_t(c.tmp_k[e]) * N + n];
             out[r * N + n] = a;
           }
         });
}

void GatherRows(const Columns& c, const float* g, int64_t k0, int64_t k1, int64_t N, float* out) {
  Blocks(0, N, [&](auto C, int64_t n) { GatherBlock<decltype(C)::value>(c, g, k0, k1, N, n, out); },
         [&](int64_t n) {
           for (int64_t k = k0; k < k1; ++k) {
             float a = 0.f;
             for (int32_t e = c.pos[k]; e < c.pos[k + 1]; ++e) a += c.vals[e] * g[int64_t(c.rows[e]) * N + n];
             out[k * N + n] = a;
           }
         });
}

thread_local Columns columns;

bool GatherAny(const ffi::AnyBuffer& s, int64_t R, int64_t K) {
  switch (s.element_type()) {
    case ffi::DataType::PRED: Gather(static_cast<const bool*>(s.untyped_data()), R, K, columns); return true;
    case ffi::DataType::F32: Gather(static_cast<const float*>(s.untyped_data()), R, K, columns); return true;
    default: return false;
  }
}

ffi::Error EventMatmulImpl(ffi::ThreadPool pool, ffi::AnyBuffer s, ffi::Buffer<ffi::F32> w,
                           ffi::ResultBuffer<ffi::F32> out) {
  const auto sd = s.dimensions(); const auto wd = w.dimensions();
  if (sd.size() != 2 || wd.size() != 2 || sd[1] != wd[0])
    return ffi::Error::InvalidArgument("event_matmul: s must be (R, K) and w (K, N)");
  const int64_t R = sd[0], K = sd[1], N = wd[1];
  if (!GatherAny(s, R, K)) return ffi::Error::InvalidArgument("event_matmul: s must be bool or float32");
  const Columns& c = columns;
  const int64_t block = 8 * kChunk, parts = std::max<int64_t>(1, N / block);
  Parallel(pool, parts, int64_t(c.rows.size()) * N, [&](int64_t p) {
    const int64_t n0 = p * block, n1 = p + 1 == parts ? N : n0 + block;
    ScatterRows(c, w.typed_data(), R, N, n0, n1, out->typed_data());
  });
  return ffi::Error::Success();
}

ffi::Error EventMatmulTImpl(ffi::ThreadPool pool, ffi::AnyBuffer s, ffi::Buffer<ffi::F32> g,
                            ffi::ResultBuffer<ffi::F32> out) {
  const auto sd = s.dimensions(); const auto gd = g.dimensions();
  if (sd.size() != 2 || gd.size() != 2 || sd[0] != gd[0])
    return ffi::Error::InvalidArgument("event_matmul_t: s must be (R, K) and g (R, N)");
  const int64_t R = sd[0], K = sd[1], N = gd[1];
  if (!GatherAny(s, R, K)) return ffi::Error::InvalidArgument("event_matmul_t: s must be bool or float32");
  const Columns& c = columns;
  const int64_t parts = std::min<int64_t>(K, 16);
  Parallel(pool, parts, int64_t(c.rows.size()) * N, [&](int64_t p) {
    GatherRows(c, g.typed_data(), K * p / parts, K * (p + 1) / parts, N, out->typed_data());
  });
  return ffi::Error::Success();
}

}  // namespace

XLA_FFI_DEFINE_HANDLER_SYMBOL(NeurodynEventCsr, EventCsrImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::AnyBuffer>()
                                  .Arg<ffi::Buffer<ffi::S32>>()
                                  .Arg<ffi::Buffer<ffi::F32>>()
                                  .Ret<ffi::Buffer<ffi::F32>>());

XLA_FFI_DEFINE_HANDLER_SYMBOL(NeurodynEventMatmul, EventMatmulImpl,
                              ffi::Ffi::Bind()
                                  .Ctx<ffi::ThreadPool>()
                                  .Arg<ffi::AnyBuffer>()
                                  .Arg<ffi::Buffer<ffi::F32>>()
                                  .Ret<ffi::Buffer<ffi::F32>>());

XLA_FFI_DEFINE_HANDLER_SYMBOL(NeurodynEventMatmulT, EventMatmulTImpl,
                              ffi::Ffi::Bind()
                                  .Ctx<ffi::ThreadPool>()
                                  .Arg<ffi::AnyBuffer>()
                                  .Arg<ffi::Buffer<ffi::F32>>()
                                  .Ret<ffi::Buffer<ffi::F32>>());
