// Shared helpers of the benchmark programs (tools/bench): deterministic PRNG, timing,
// percentiles, the corpus walk and paragraph split used by the baselines, the query mix.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <sys/resource.h>
#include <time.h>

namespace bench {

// splitmix64 seeding a xoshiro256**: the same sequence on every platform and compiler
// (std:: distributions are not specified bit for bit, so we do not use them).
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& s : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      s = z ^ (z >> 31);
    }
  }
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform in [lo, hi].
  int Range(int lo, int hi) { return lo + static_cast<int>(Next() % static_cast<uint64_t>(hi - lo + 1)); }
  bool Chance(double p) { return Uniform() < p; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// Concatenation without operator+ chains (GCC 12 reports a false -Wrestrict on those).
template <typename... Parts>
std::string Cat(const Parts&... parts) {
  std::string out;
  (out.append(std::string_view(parts)), ...);
  return out;
}

using Clock = std::chrono::steady_clock;

inline double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Peak resident set size of this process, in bytes.
inline long PeakRssBytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss * 1024L;
}

// Nearest-rank percentile (p in 0..100) of `values` (copied and sorted).
inline double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t rank = static_cast<size_t>(p / 100.0 * static_cast<double>(values.size()) + 0.999999);
  if (rank < 1) rank = 1;
  if (rank > values.size()) rank = values.size();
  return values[rank - 1];
}

inline double Mean(const std::vector<double>& values) {
  if (values.empty()) return 0;
  double sum = 0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

// Prints the latency summary lines every query program prints (parsed by tools/bench/run).
inline void PrintLatencies(const std::vector<double>& ms) {
  std::printf("queries=%zu\n", ms.size());
  std::printf("p50_ms=%.3f\np95_ms=%.3f\np99_ms=%.3f\nmean_ms=%.3f\nmax_ms=%.3f\n",
              Percentile(ms, 50), Percentile(ms, 95), Percentile(ms, 99), Mean(ms),
              Percentile(ms, 100));
}

// CPU time the calling thread has used, in ms. A query's CPU time is its cost without the
// waits for a core: on a machine other jobs load, wall-time percentiles measure the scheduler
// as much as the engine, CPU-time ones do not (the query programs are single-threaded).
inline double ThreadCpuMillis() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// The CPU-time summary lines (cpu_p50_ms=...), beside PrintLatencies' wall-time ones.
inline void PrintCpuLatencies(const std::vector<double>& ms) {
  std::printf("cpu_p50_ms=%.3f\ncpu_p95_ms=%.3f\ncpu_p99_ms=%.3f\ncpu_mean_ms=%.3f\n",
              Percentile(ms, 50), Percentile(ms, 95), Percentile(ms, 99), Mean(ms));
}

// One line per query kind (word, two, three, phrase, pillar): p50, p99 and mean in ms, to see
// which kind sets the overall p99. `kinds[i]` is the kind of the query timed in `ms[i]`.
inline void PrintLatenciesByKind(const std::vector<std::string>& kinds,
                                 const std::vector<double>& ms) {
  std::vector<std::string> order;
  for (const std::string& kind : kinds) {
    if (std::find(order.begin(), order.end(), kind) == order.end()) order.push_back(kind);
  }
  for (const std::string& kind : order) {
    std::vector<double> of_kind;
    for (size_t i = 0; i < ms.size(); ++i) {
      if (kinds[i] == kind) of_kind.push_back(ms[i]);
    }
    std::printf("kind_%s=n %zu p50 %.3f p99 %.3f mean %.3f max %.3f\n", kind.c_str(),
                of_kind.size(), Percentile(of_kind, 50), Percentile(of_kind, 99), Mean(of_kind),
                Percentile(of_kind, 100));
  }
}

// The corpus files (.txt and .md) under `dir`, sorted by path.
inline std::vector<std::filesystem::path> CorpusFiles(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::string ext = entry.path().extension().string();
    if (ext == ".txt" || ext == ".md") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

inline bool ReadFile(const std::filesystem::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

// Splits a text into paragraphs: blocks separated by blank (white-space-only) lines. Line
// breaks inside a block become spaces. What the baselines index, one row/document each.
template <typename Fn>
void ForEachParagraph(std::string_view text, Fn&& fn) {
  std::string para;
  size_t pos = 0;
  auto flush = [&] {
    if (!para.empty()) fn(para);
    para.clear();
  };
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    bool blank = std::all_of(line.begin(), line.end(), [](char c) {
      return c == ' ' || c == '\t' || c == '\r' || c == '\f';
    });
    if (blank) {
      flush();
    } else {
      if (!para.empty()) para.push_back(' ');
      para.append(line);
    }
    pos = nl + 1;
  }
  flush();
}

// One query of the fixed mix (queries.tsv: kind TAB pillar TAB query).
struct Query {
  std::string kind;    // word, two, three, phrase, pillar
  std::string pillar;  // concept id for kind "pillar", else ""
  std::string text;    // Xapian/Pillar query syntax: words, "quoted phrases"
};

inline std::vector<Query> ReadQueries(const std::filesystem::path& path) {
  std::vector<Query> queries;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    Query q;
    size_t a = line.find('\t');
    size_t b = a == std::string::npos ? std::string::npos : line.find('\t', a + 1);
    if (b == std::string::npos) continue;
    q.kind = line.substr(0, a);
    q.pillar = line.substr(a + 1, b - a - 1);
    q.text = line.substr(b + 1);
    queries.push_back(q);
  }
  return queries;
}

}  // namespace bench
