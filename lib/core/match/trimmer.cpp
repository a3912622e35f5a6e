// Normalised prefixes -> matcher: the longest matching prefix of a path, in time that does not
// grow with the number of prefixes.
//
// Every prefix ends in "/", so a matching prefix ends at one of the path's slashes. The table
// keeps a bitmap of the lengths its keys have; the slashes among the path's first bytes (up to
// the longest key) form another bitmap, 16 bytes a step, and their intersection is the few
// lengths worth a hash lookup, tried longest first. The hash of a candidate reads only its
// last 8 bytes, and a hit is verified byte for byte; keys of one length that those 8 bytes
// cannot tell apart (venvs named env-001, env-002... all ending in "ackages/") make that
// length fall back to hashing every byte. A list with few distinct lengths (a real one has about
// ten) skips the scan: each length is checked directly for a "/", longest first.
#include <pyprefix/trimmer.hpp>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <limits>
#include <unordered_map>
#include <unordered_set>

#include <pyprefix/error.hpp>

#include "core/normalise/windows_path.hpp"
#include "core/sources.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace pyprefix {
namespace {

constexpr std::uint32_t empty_slot = std::numeric_limits<std::uint32_t>::max();

std::uint64_t load_word(const char* data) noexcept {
  std::uint64_t word;
  std::memcpy(&word, data, 8);
  return word;
}

std::uint64_t mix(std::uint64_t value) noexcept {
  value ^= value >> 32;
  value *= 0xD6E8FEB86659FD93ull;
  return value ^ (value >> 29);
}

// The first `size` bytes at `data` (at most 8) as a word, the rest zero.
std::uint64_t load_short(const char* data, size_t size) noexcept {
  std::uint64_t word = 0;
  std::memcpy(&word, data, size);
  return word;
}

// A hash of the length and the last 8 bytes of data[0, size): one load and one multiply, for
// the many candidates a path offers. Keys it cannot tell apart are found at build time, and
// their length is hashed with hash_all instead.
std::uint64_t hash_tail(const char* data, size_t size) noexcept {
  const std::uint64_t tail = size >= 8 ? load_word(data + size - 8) : load_short(data, size);
  const std::uint64_t product = (tail ^ (size * 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull;
  return product ^ (product >> 31);
}

// A hash of every byte: each 8-byte word times its own odd constant, summed, the last word
// overlapping the one before.
std::uint64_t hash_all(const char* data, size_t size) noexcept {
  if (size < 8) return hash_tail(data, size);
  static constexpr std::uint64_t multipliers[] = {0x9E3779B97F4A7C15ull, 0xBF58476D1CE4E5B9ull, 0x94D049BB133111EBull,
                                                  0xD6E8FEB86659FD93ull};
  std::uint64_t sum = size * 0xFF51AFD7ED558CCDull;
  for (size_t i = 0; i + 8 < size; i += 8) sum += (load_word(data + i) ^ i) * multipliers[(i >> 3) & 3];
  return mix(sum + load_word(data + size - 8) * 0xC4CEB9FE1A85EC53ull);
}

// a[0, size) == b[0, size), both readable for `size` bytes, without a call to memcmp: 16
// bytes a step, the last step overlapping the one before.
[[gnu::always_inline]] inline bool same_bytes(const char* a, const char* b, size_t size) noexcept {
#if defined(__SSE2__)
  if (size >= 16) {
    const auto differ = [&](size_t i) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i));
      const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i));
      return _mm_movemask_epi8(_mm_cmpeq_epi8(x, y)) != 0xFFFF;
    };
    for (size_t i = 0; i + 16 < size; i += 16)
      if (differ(i)) return false;
    return !differ(size - 16);
  }
#endif
  if (size < 8) return load_short(a, size) == load_short(b, size);
  for (size_t i = 0; i + 8 < size; i += 8)
    if (load_word(a + i) != load_word(b + i)) return false;
  return load_word(a + size - 8) == load_word(b + size - 8);
}

// Bit i set where block[i] == '/', for i < count (at most 64), reading no byte at or past
// block + readable: whole 16-byte loads, then one load that ends at the last readable byte.
std::uint64_t slash_bits(const char* block, size_t count, size_t readable) noexcept {
  const size_t available = std::min<size_t>(readable, 64);
  std::uint64_t bits = 0;
#if defined(__SSE2__)
  const __m128i slash = _mm_set1_epi8('/');
  const auto bits_at = [&](const char* at) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    return static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, slash))));
  };
  size_t done = 0;
  for (; done + 16 <= available; done += 16) bits |= bits_at(block + done) << done;
  if (done < available) {
    if (available >= 16) {  // the 16 bytes ending at `available`, shifted to drop those already seen
      bits |= (bits_at(block + available - 16) >> (16 - (available - done))) << done;
    } else {
      for (; done < available; ++done) bits |= static_cast<std::uint64_t>(block[done] == '/') << done;
    }
  }
#else
  for (size_t i = 0; i < available; ++i) bits |= static_cast<std::uint64_t>(block[i] == '/') << i;
#endif
  return count >= 64 ? bits : bits & ((std::uint64_t{1} << count) - 1);
}

int highest_bit(std::uint64_t bits) noexcept { return 63 - __builtin_clzll(bits); }

// Prefixes are directories: a "/" is appended where none ends one.
std::string with_separator(std::string path) {
  if (path.empty() || path.back() != '/') path += '/';
  return path;
}

// Bare prefixes as a list with no sources, so that their kind is Kind::unknown.
std::vector<Prefix> without_sources(const std::vector<std::string>& paths) {
  std::vector<Prefix> prefixes;
  prefixes.reserve(paths.size());
  for (const std::string& path : paths) prefixes.push_back({path, {}, {}});
  return prefixes;
}

// A Windows path is matched in its folded form (normalise/windows_path.hpp), at most this long.
constexpr size_t longest_windows_prefix = 4096;

Kind pseudo_file_kind(std::string_view path) noexcept {
  return path.substr(0, 8) == "<frozen " ? Kind::stdlib : Kind::unknown;
}

}  // namespace

std::string_view kind_name(Kind kind) noexcept {
  const auto index = static_cast<size_t>(kind);
  return index < std::size(detail::kind_table) ? detail::kind_table[index].name : detail::kind_table[0].name;
}

Kind kind_of(const std::vector<Source>& sources) noexcept {
  Kind kind = Kind::unknown;
  // The enumerators of Kind are ordered from least to most specific.
  for (Source source : sources) kind = std::max(kind, detail::traits_of(source).kind);
  return kind;
}

struct Trimmer::Table {
  struct Key {
    std::string bytes;    // what a path must start with: a prefix or its resolved alias
    std::uint32_t shown;  // the index of the prefix to report
    Kind kind;
  };
  // Everything a lookup needs in one place, so that a hit costs no further indirection.
  struct Slot {
    std::uint64_t hash;
    const char* bytes;  // the key's bytes (keys do not move once indexed)
    std::uint32_t size;
    std::uint32_t key;  // empty_slot when the slot is free
  };
  // Per 64 lengths: which lengths keys have, and which of those need hash_all.
  struct LengthBlock {
    std::uint64_t present = 0;
    std::uint64_t hash_all = 0;
  };

  PathFlavour flavour = PathFlavour::posix;
  std::vector<std::string> prefixes;  // as listed, for Match::prefix
  std::vector<Key> keys;
  std::vector<Slot> slots;  // open addressing, a power of two at least twice the keys
  std::vector<LengthBlock> lengths;
  size_t longest = 0;
  // When the keys have few distinct lengths (a real list has about ten), each is checked
  // directly, longest first: one byte tells whether the path has a "/" there, which costs less
  // than finding every slash. Empty when there are more.
  static constexpr size_t few_lengths = 16;
  std::vector<std::uint32_t> distinct_lengths;
  std::unordered_set<std::string> added;  // while building

  void add(std::string bytes, std::uint32_t shown, Kind kind) {
    bytes = with_separator(std::move(bytes));
    if (!added.insert(bytes).second) return;  // the first listing of a path wins
    longest = std::max(longest, bytes.size());
    keys.push_back({std::move(bytes), shown, kind});
  }

  static std::uint64_t bit_of(size_t length) noexcept { return std::uint64_t{1} << ((length - 1) % 64); }

  static std::uint64_t hash(const char* data, size_t size, bool every_byte) noexcept {
    return every_byte ? hash_all(data, size) : hash_tail(data, size);
  }

  void index() {
    added.clear();
    lengths.assign((longest + 63) / 64, {});
    std::unordered_map<std::uint64_t, size_t> length_of_cheap_hash;
    for (const Key& key : keys) {
      const size_t size = key.bytes.size();
      lengths[(size - 1) / 64].present |= bit_of(size);
      auto [found, is_new] = length_of_cheap_hash.try_emplace(hash_tail(key.bytes.data(), size), size);
      if (!is_new && found->second == size) lengths[(size - 1) / 64].hash_all |= bit_of(size);
    }
    for (const Key& key : keys) distinct_lengths.push_back(static_cast<std::uint32_t>(key.bytes.size()));
    std::sort(distinct_lengths.begin(), distinct_lengths.end(), std::greater<>());
    distinct_lengths.erase(std::unique(distinct_lengths.begin(), distinct_lengths.end()), distinct_lengths.end());
    if (distinct_lengths.size() > few_lengths) distinct_lengths.clear();
    size_t capacity = 16;
    while (capacity < 2 * keys.size()) capacity *= 2;
    slots.assign(capacity, {0, nullptr, 0, empty_slot});
    for (std::uint32_t k = 0; k < keys.size(); ++k) {
      const std::string& bytes = keys[k].bytes;
      const bool every_byte = (lengths[(bytes.size() - 1) / 64].hash_all & bit_of(bytes.size())) != 0;
      const std::uint64_t key_hash = hash(bytes.data(), bytes.size(), every_byte);
      size_t slot = key_hash & (capacity - 1);
      while (slots[slot].key != empty_slot) slot = (slot + 1) & (capacity - 1);
      slots[slot] = {key_hash, bytes.data(), static_cast<std::uint32_t>(bytes.size()), k};
    }
  }

  [[gnu::always_inline]] const Slot* find(const char* data, size_t size, bool every_byte) const noexcept {
    const std::uint64_t candidate_hash = hash(data, size, every_byte);
    const size_t mask = slots.size() - 1;
    for (size_t slot = candidate_hash & mask; slots[slot].key != empty_slot; slot = (slot + 1) & mask) {
      const Slot& entry = slots[slot];
      if (entry.hash == candidate_hash && entry.size == size && same_bytes(entry.bytes, data, size)) return &entry;
    }
    return nullptr;
  }

  // The slot of the longest key that `path` starts with, or nullptr; a Windows path is folded
  // first, as far as the longest key reaches.
  [[gnu::always_inline]] const Slot* longest_match(std::string_view path) const noexcept {
    if (flavour == PathFlavour::windows) {
      char folded[longest_windows_prefix];
      const size_t size = std::min(path.size(), longest);
      detail::fold_windows_path(path.data(), size, folded);
      return longest_posix_match({folded, size});
    }
    return longest_posix_match(path);
  }

  const Slot* longest_posix_match(std::string_view path) const noexcept {
    if (!distinct_lengths.empty()) {
      for (const std::uint32_t length : distinct_lengths) {
        if (length > path.size() || path[length - 1] != '/') continue;
        const bool every_byte = (lengths[(length - 1) / 64].hash_all & bit_of(length)) != 0;
        if (const Slot* found = find(path.data(), length, every_byte)) return found;
      }
      return nullptr;
    }
    const size_t scanned = std::min(path.size(), longest);
    for (size_t block = (scanned + 63) / 64; block-- > 0;) {
      const size_t start = block * 64;
      const LengthBlock lengths_here = lengths[block];
      std::uint64_t candidates =
          slash_bits(path.data() + start, std::min<size_t>(64, scanned - start), path.size() - start) &
          lengths_here.present;
      while (candidates != 0) {
        const int bit = highest_bit(candidates);
        const std::uint64_t mask = std::uint64_t{1} << bit;
        if (const Slot* found =
                find(path.data(), start + static_cast<size_t>(bit) + 1, (lengths_here.hash_all & mask) != 0))
          return found;
        candidates &= ~mask;
      }
    }
    return nullptr;
  }
};

Trimmer::Trimmer(const std::vector<Prefix>& prefixes) : Trimmer(prefixes, PathFlavour::posix) {}

Trimmer::Trimmer(const std::vector<Prefix>& prefixes, PathFlavour flavour) : table_(nullptr) {
  auto table = std::make_unique<Table>();
  table->flavour = flavour;
  const bool windows = flavour == PathFlavour::windows;
  // A key in the form paths are compared in: a Windows prefix folded, ending in "/" like the rest.
  auto key_of = [windows](const std::string& path) {
    if (!windows) return path;
    if (path.size() >= longest_windows_prefix)
      throw error("a Windows prefix longer than " + std::to_string(longest_windows_prefix - 1) + " bytes");
    return detail::folded_windows_path(path);
  };
  for (const Prefix& prefix : prefixes) {
    std::string shown = prefix.path;
    if (windows && !shown.empty() && shown.back() != '\\' && shown.back() != '/') shown += '\\';
    table->prefixes.push_back(windows ? shown : with_separator(shown));
    table->add(key_of(prefix.path), static_cast<std::uint32_t>(table->prefixes.size() - 1), kind_of(prefix.sources));
  }
  for (size_t i = 0; i < prefixes.size(); ++i)  // aliases after every prefix: a real listing wins
    if (!prefixes[i].resolved.empty())
      table->add(key_of(prefixes[i].resolved), static_cast<std::uint32_t>(i), kind_of(prefixes[i].sources));
  table->index();
  table_ = std::move(table);
}

Trimmer::Trimmer(const std::vector<std::string>& prefixes) : Trimmer(without_sources(prefixes)) {}

Trimmer::Trimmer(std::initializer_list<std::string_view> prefixes)
    : Trimmer(std::vector<std::string>(prefixes.begin(), prefixes.end())) {}

Trimmer::~Trimmer() = default;
Trimmer::Trimmer(Trimmer&&) noexcept = default;
Trimmer& Trimmer::operator=(Trimmer&&) noexcept = default;

Match Trimmer::match(std::string_view path) const noexcept {
  if (!path.empty() && path.front() == '<') return {path, {}, pseudo_file_kind(path)};
  const Table::Slot* found = table_ ? table_->longest_match(path) : nullptr;  // null: moved from
  if (found == nullptr) return {path, {}, Kind::unknown};
  const Table::Key& key = table_->keys[found->key];
  return {path.substr(found->size), table_->prefixes[key.shown], key.kind};
}

size_t Trimmer::longest_prefix() const noexcept { return table_ ? table_->longest : 0; }

PathFlavour Trimmer::flavour() const noexcept { return table_ ? table_->flavour : PathFlavour::posix; }

std::string_view Trimmer::trim(std::string_view path) const noexcept {
  if (!path.empty() && path.front() == '<') return path;
  const Table::Slot* found = table_ ? table_->longest_match(path) : nullptr;  // null: moved from
  return found == nullptr ? path : path.substr(found->size);
}

}  // namespace pyprefix
