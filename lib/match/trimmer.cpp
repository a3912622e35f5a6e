// Normalised prefixes -> matcher: the longest matching prefix of a path, in time that does not
// grow with the number of prefixes.
//
// The prefixes are directories ending in "/", so a prefix that matches ends at one of the
// path's slashes. The table keeps a bitmap of the lengths that prefixes have; a path's slashes
// within the longest prefix length form another bitmap (SSE2, 16 bytes a step), and their
// intersection is the handful of lengths worth a hash lookup, tried longest first. A typical
// path costs one slash scan, one hash of the matching prefix and one memcmp.
#include <pyprefix/trimmer.hpp>

#include <algorithm>
#include <cstring>
#include <limits>
#include <unordered_set>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace pyprefix {
namespace {

constexpr std::uint32_t empty_slot = std::numeric_limits<std::uint32_t>::max();

// A hash of all the bytes: each 8-byte word times its own odd constant, summed, so that the
// multiplications run in parallel rather than in one dependent chain; then a final mix.
std::uint64_t hash_bytes(const char* data, size_t size) noexcept {
  static constexpr std::uint64_t multipliers[] = {0x9E3779B97F4A7C15ull, 0xBF58476D1CE4E5B9ull, 0x94D049BB133111EBull,
                                                  0xD6E8FEB86659FD93ull};
  std::uint64_t sum = size * 0xFF51AFD7ED558CCDull;
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, data + i, 8);
    sum += (word ^ (i >> 3)) * multipliers[(i >> 3) & 3];
  }
  if (i < size) {
    std::uint64_t word = 0;
    std::memcpy(&word, data + i, size - i);
    sum += (word ^ 0xA5) * 0xC4CEB9FE1A85EC53ull;
  }
  sum ^= sum >> 32;
  sum *= 0xD6E8FEB86659FD93ull;
  return sum ^ (sum >> 29);
}

// Bit i set where block[i] == '/', for the first `count` (at most 64) bytes.
std::uint64_t slash_bits(const char* block, size_t count) noexcept {
  char padded[64];
  if (count < 64) {  // never read past the path: copy the tail into a zeroed block
    std::memset(padded, 0, sizeof padded);
    std::memcpy(padded, block, count);
    block = padded;
  }
#if defined(__SSE2__)
  const __m128i slash = _mm_set1_epi8('/');
  std::uint64_t bits = 0;
  for (int part = 0; part < 4; ++part) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * part));
    bits |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, slash))))
            << (16 * part);
  }
  return bits;
#else
  std::uint64_t bits = 0;
  for (int i = 0; i < 64; ++i) bits |= static_cast<std::uint64_t>(block[i] == '/') << i;
  return bits;
#endif
}

int highest_bit(std::uint64_t bits) noexcept { return 63 - __builtin_clzll(bits); }

Kind pseudo_file_kind(std::string_view path) noexcept {
  return path.substr(0, 8) == "<frozen " ? Kind::stdlib : Kind::unknown;
}

}  // namespace

std::string_view kind_name(Kind kind) noexcept {
  switch (kind) {
    case Kind::unknown: return "unknown";
    case Kind::application: return "application";
    case Kind::package_root: return "package-root";
    case Kind::third_party: return "third-party";
    case Kind::stdlib: return "stdlib";
  }
  return "unknown";
}

Kind kind_of(const std::vector<Source>& sources) noexcept {
  Kind kind = Kind::unknown;
  for (Source source : sources) {
    Kind of_source = Kind::unknown;
    switch (source) {
      case Source::sys_path: of_source = Kind::application; break;
      case Source::package_root: of_source = Kind::package_root; break;
      case Source::site_packages:
      case Source::user_base:
      case Source::user_site:
      case Source::install_scheme: of_source = Kind::third_party; break;
      case Source::stdlib: of_source = Kind::stdlib; break;
    }
    kind = std::max(kind, of_source);  // the enumerators are ordered from least to most specific
  }
  return kind;
}

struct Trimmer::Table {
  struct Key {
    std::string bytes;    // what a path must start with: a prefix or its resolved alias
    std::uint32_t shown;  // the index of the prefix to report
    Kind kind;
  };
  struct Slot {
    std::uint64_t hash;
    std::uint32_t key;
  };

  std::vector<std::string> prefixes;  // as listed, for Match::prefix
  std::vector<Key> keys;
  std::vector<Slot> slots;  // open addressing, a power of two at least twice the keys
  std::vector<std::uint64_t> length_bits;  // bit L - 1 set when a key is L bytes long
  size_t longest = 0;

  std::unordered_set<std::string> added;  // while building

  void add(std::string bytes, std::uint32_t shown, Kind kind) {
    if (bytes.empty() || bytes.back() != '/') bytes += '/';
    if (!added.insert(bytes).second) return;  // the first listing of a path wins
    longest = std::max(longest, bytes.size());
    keys.push_back({std::move(bytes), shown, kind});
  }

  void index() {
    added.clear();
    size_t capacity = 16;
    while (capacity < 2 * keys.size()) capacity *= 2;
    slots.assign(capacity, {0, empty_slot});
    length_bits.assign((longest + 63) / 64, 0);
    for (std::uint32_t k = 0; k < keys.size(); ++k) {
      const std::string& bytes = keys[k].bytes;
      const std::uint64_t hash = hash_bytes(bytes.data(), bytes.size());
      size_t slot = hash & (capacity - 1);
      while (slots[slot].key != empty_slot) slot = (slot + 1) & (capacity - 1);
      slots[slot] = {hash, k};
      length_bits[(bytes.size() - 1) / 64] |= std::uint64_t{1} << ((bytes.size() - 1) % 64);
    }
  }

  const Key* find(std::string_view candidate) const noexcept {
    const std::uint64_t hash = hash_bytes(candidate.data(), candidate.size());
    const size_t mask = slots.size() - 1;
    for (size_t slot = hash & mask; slots[slot].key != empty_slot; slot = (slot + 1) & mask) {
      if (slots[slot].hash != hash) continue;
      const Key& key = keys[slots[slot].key];
      if (key.bytes.size() == candidate.size() && std::memcmp(key.bytes.data(), candidate.data(), candidate.size()) == 0)
        return &key;
    }
    return nullptr;
  }
};

Trimmer::Trimmer(const std::vector<Prefix>& prefixes) : table_(nullptr) {
  auto table = std::make_unique<Table>();
  for (const Prefix& prefix : prefixes) {
    table->prefixes.push_back(prefix.path);
    table->add(prefix.path, static_cast<std::uint32_t>(table->prefixes.size() - 1), kind_of(prefix.sources));
  }
  for (size_t i = 0; i < prefixes.size(); ++i)  // aliases after every prefix: a real listing wins
    if (!prefixes[i].resolved.empty())
      table->add(prefixes[i].resolved, static_cast<std::uint32_t>(i), kind_of(prefixes[i].sources));
  table->index();
  table_ = std::move(table);
}

Trimmer::Trimmer(const std::vector<std::string>& prefixes) : table_(nullptr) {
  auto table = std::make_unique<Table>();
  for (const std::string& prefix : prefixes) {
    table->prefixes.push_back(prefix.empty() || prefix.back() != '/' ? prefix + '/' : prefix);
    table->add(prefix, static_cast<std::uint32_t>(table->prefixes.size() - 1), Kind::unknown);
  }
  table->index();
  table_ = std::move(table);
}

Trimmer::~Trimmer() = default;
Trimmer::Trimmer(Trimmer&&) noexcept = default;
Trimmer& Trimmer::operator=(Trimmer&&) noexcept = default;

Match Trimmer::match(std::string_view path) const noexcept {
  if (!path.empty() && path.front() == '<') return {path, {}, pseudo_file_kind(path)};
  const Table& table = *table_;
  const size_t scanned = std::min(path.size(), table.longest);
  for (size_t block = (scanned + 63) / 64; block-- > 0;) {
    const size_t start = block * 64;
    std::uint64_t candidates = slash_bits(path.data() + start, std::min<size_t>(64, scanned - start)) &
                               table.length_bits[block];
    while (candidates != 0) {
      const int bit = highest_bit(candidates);
      const size_t length = start + static_cast<size_t>(bit) + 1;
      if (const Table::Key* key = table.find(path.substr(0, length)))
        return {path.substr(length), table.prefixes[key->shown], key->kind};
      candidates &= ~(std::uint64_t{1} << bit);
    }
  }
  return {path, {}, Kind::unknown};
}

std::string_view Trimmer::trim(std::string_view path) const noexcept { return match(path).short_path; }

}  // namespace pyprefix
