// marshal, as CPython's Python/marshal.c reads and writes it, for the values pstats files hold.
#include "core/rewrite/pstats.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <map>
#include <set>
#include <unordered_map>

#include <pyprefix/error.hpp>

#include "core/rewrite/python_file.hpp"

namespace pyprefix::detail {
namespace {

constexpr unsigned char flag_ref = 0x80;
constexpr int max_depth = 64;
constexpr uint64_t max_expanded_bytes = 256u << 20;
constexpr size_t max_values = 4u << 20;

// One marshal value. Strings keep their bytes as marshal stores them (UTF-8, surrogates passed).
struct Value {
  enum class Type {
    none,
    true_,
    false_,
    integer,
    long_integer,
    floating,
    string,
    bytes,
    tuple,
    list,
    set,
    frozenset,
    dict
  };
  Type type = Type::none;
  int64_t integer = 0;
  double floating = 0;
  std::string text;                 // string, bytes; long_integer: its digit count and digits as read
  std::vector<const Value*> items;  // tuple, list, sets; dict: key, value, key, value, ...
  uint64_t weight = 0;              // about the bytes it takes written out, references expanded
  int depth = 0;                    // nesting, references expanded
};

// Reads one marshal stream into values owned by `values`.
class Reader {
 public:
  explicit Reader(std::string_view input) : in_(input) {}

  const Value* read_whole() {
    const Value* root = read(0);
    if (root == nullptr) fail("it holds a NULL where a value should be");
    if (at_ != in_.size()) fail("more follows its one value");
    return root;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw error("is not a pstats file pyprefix can read (" + why + ", at byte " + std::to_string(at_) + ")");
  }
  unsigned char byte() {
    if (at_ >= in_.size()) fail("it ends inside a value");
    return static_cast<unsigned char>(in_[at_++]);
  }
  int32_t int32() {
    if (in_.size() - at_ < 4) fail("it ends inside a value");
    uint32_t value = 0;
    for (int i = 3; i >= 0; --i) value = value << 8 | static_cast<unsigned char>(in_[at_ + static_cast<size_t>(i)]);
    at_ += 4;
    return static_cast<int32_t>(value);
  }
  std::string bytes(size_t size) {
    if (in_.size() - at_ < size) fail("a string runs past its end");
    std::string text(in_.substr(at_, size));
    at_ += size;
    return text;
  }
  size_t count() {
    const int32_t n = int32();
    if (n < 0 || static_cast<size_t>(n) > in_.size() - at_) fail("a size is larger than what is left");
    return static_cast<size_t>(n);
  }

  Value& make(Value::Type type) {
    if (values_.size() >= max_values) fail("it holds more than 4 million values, more than pyprefix holds");
    values_.emplace_back();
    values_.back().type = type;
    return values_.back();
  }

  // marshal's a, A, z and Z strings are Latin-1 (CPython reads them as one byte a character):
  // held as UTF-8, as u strings are.
  static std::string latin1_as_utf8(std::string text) {
    std::string utf8;
    for (const char c : text) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte < 0x80) {
        utf8 += c;
      } else {
        utf8 += static_cast<char>(0xC0 | byte >> 6);
        utf8 += static_cast<char>(0x80 | (byte & 0x3F));
      }
    }
    return utf8;
  }

  // One value; nullptr for TYPE_NULL (a dictionary's end).
  const Value* read(int depth) {
    if (depth > max_depth) fail("values nest deeper than 64");
    const unsigned char code = byte();
    const bool referenced = (code & flag_ref) != 0;
    const char type = static_cast<char>(code & 0x7f);
    size_t slot = 0;
    if (referenced) {  // as marshal reserves it: before the value's own contents
      slot = refs_.size();
      refs_.push_back(nullptr);
    }
    Value* value = nullptr;
    switch (type) {
      case '0':
        if (referenced) fail("a NULL has a reference");
        return nullptr;
      case 'N':  // one shared value each: a file of them costs no memory
        value = &none_;
        break;
      case 'T':
        value = &true_;
        break;
      case 'F':
        value = &false_;
        break;
      case 'i': {
        Value& v = make(Value::Type::integer);
        v.integer = int32();
        value = &v;
        break;
      }
      case 'I': {  // TYPE_INT64, of old writers
        Value& v = make(Value::Type::integer);
        const uint32_t low = static_cast<uint32_t>(int32());
        v.integer = static_cast<int64_t>(static_cast<uint64_t>(static_cast<uint32_t>(int32())) << 32 | low);
        value = &v;
        break;
      }
      case 'l': {
        Value& v = make(Value::Type::long_integer);
        const int32_t digits = int32();
        const int64_t size = digits < 0 ? -int64_t{digits} : digits;
        if (static_cast<uint64_t>(size) * 2 > in_.size() - at_) fail("a long runs past its end");
        at_ -= 4;
        v.text = bytes(4 + static_cast<size_t>(size) * 2);
        value = &v;
        break;
      }
      case 'g': {
        Value& v = make(Value::Type::floating);
        const std::string raw = bytes(8);
        std::memcpy(&v.floating, raw.data(), 8);  // little-endian IEEE 754, as this machine's
        value = &v;
        break;
      }
      case 'f': {  // a float as text, of version 0 and 1 writers
        Value& v = make(Value::Type::floating);
        const std::string digits = bytes(byte());
        v.floating = std::strtod(digits.c_str(), nullptr);
        value = &v;
        break;
      }
      case 'u':
      case 't': {
        Value& v = make(Value::Type::string);
        v.text = bytes(count());
        value = &v;
        break;
      }
      case 'a':
      case 'A':
      case 'z':
      case 'Z': {
        Value& v = make(Value::Type::string);
        v.text = latin1_as_utf8(bytes(type == 'a' || type == 'A' ? count() : byte()));
        value = &v;
        break;
      }
      case 's': {
        Value& v = make(Value::Type::bytes);
        v.text = bytes(count());
        value = &v;
        break;
      }
      case '(':
      case ')':
      case '[':
      case '<':
      case '>': {
        Value& v = make(type == '['   ? Value::Type::list
                        : type == '<' ? Value::Type::set
                        : type == '>' ? Value::Type::frozenset
                                      : Value::Type::tuple);
        const size_t n = type == ')' ? byte() : count();
        v.items.reserve(std::min<size_t>(n, 4096));  // a declared count is only a claim
        for (size_t i = 0; i < n; ++i) {
          const Value* item = read(depth + 1);
          if (item == nullptr) fail("a NULL is inside a container");
          v.items.push_back(item);
        }
        value = &v;
        break;
      }
      case '{': {
        Value& v = make(Value::Type::dict);
        for (;;) {
          const Value* key = read(depth + 1);
          if (key == nullptr) break;
          const Value* item = read(depth + 1);
          if (item == nullptr) fail("a dictionary's key has no value");
          v.items.push_back(key);
          v.items.push_back(item);
        }
        value = &v;
        break;
      }
      case 'r': {
        // A container is referable once it is whole: no value contains itself.
        const int32_t index = int32();
        if (index < 0 || static_cast<size_t>(index) >= refs_.size() || refs_[static_cast<size_t>(index)] == nullptr)
          fail("a reference points to no value, or to one not yet whole");
        if (referenced) fail("a reference has a reference");
        const Value* target = refs_[static_cast<size_t>(index)];
        count_expanded(target->weight);
        return target;
      }
      default:
        fail(std::string("it holds marshal type '") + (type >= 0x20 && type < 0x7f ? std::string(1, type) : "?") +
             "', which pstats files do not");
    }
    weigh(*value);
    if (referenced) refs_[slot] = value;
    return value;
  }

  // What the value costs once references are written out, and how deep it nests then: shared
  // values make both grow with each reference, so they are bounded as the file is read.
  void weigh(Value& value) {
    value.weight = 9 + value.text.size();
    count_expanded(value.weight);  // its own bytes; its items were counted as they were read
    value.depth = 1;
    for (const Value* item : value.items) {
      value.weight += item->weight;
      value.depth = std::max(value.depth, item->depth + 1);
    }
    if (value.depth > max_depth) fail("values nest deeper than 64");
  }

  // The whole file's size with references written out, counted as it is read, so that shared
  // values cannot make the output (or the work) grow past the bound before it is noticed.
  void count_expanded(uint64_t bytes) {
    expanded_ += bytes;
    if (expanded_ > max_expanded_bytes) fail("its references expand it past 256 MiB");
  }

  std::string_view in_;
  size_t at_ = 0;
  uint64_t expanded_ = 0;
  std::deque<Value> values_;
  std::vector<const Value*> refs_;
  Value none_ = constant(Value::Type::none), true_ = constant(Value::Type::true_),
        false_ = constant(Value::Type::false_);

  static Value constant(Value::Type type) {
    Value value;
    value.type = type;
    return value;
  }
};

// Writes values as marshal version 4 does, strings met before written as references.
class Writer {
 public:
  std::string out;

  void write(const Value& value) {
    switch (value.type) {
      case Value::Type::none:
        out += 'N';
        return;
      case Value::Type::true_:
        out += 'T';
        return;
      case Value::Type::false_:
        out += 'F';
        return;
      case Value::Type::integer:
        if (value.integer >= INT32_MIN && value.integer <= INT32_MAX) {
          out += 'i';
          int32(static_cast<int32_t>(value.integer));
        } else {
          write_long(value.integer);
        }
        return;
      case Value::Type::long_integer:
        out += 'l';
        out.append(value.text);
        return;
      case Value::Type::floating: {
        out += 'g';
        char raw[8];
        std::memcpy(raw, &value.floating, 8);
        out.append(raw, 8);
        return;
      }
      case Value::Type::string:
        return write_string(value.text);
      case Value::Type::bytes:
        out += 's';
        int32(static_cast<int32_t>(value.text.size()));
        out.append(value.text);
        return;
      case Value::Type::tuple:
        if (value.items.size() < 256) {
          out += ')';
          out += static_cast<char>(value.items.size());
        } else {
          out += '(';
          int32(static_cast<int32_t>(value.items.size()));
        }
        break;
      case Value::Type::list:
      case Value::Type::set:
      case Value::Type::frozenset:
        out += value.type == Value::Type::list ? '[' : value.type == Value::Type::set ? '<' : '>';
        int32(static_cast<int32_t>(value.items.size()));
        break;
      case Value::Type::dict:
        out += '{';
        for (const Value* item : value.items) write(*item);
        out += '0';
        return;
    }
    for (const Value* item : value.items) write(*item);
  }

 private:
  void int32(int32_t value) {
    const auto bits = static_cast<uint32_t>(value);
    for (int i = 0; i < 4; ++i) out += static_cast<char>(bits >> (8 * i) & 0xff);
  }
  void write_long(int64_t value) {  // base 2**15 digits, least significant first
    uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
    std::vector<uint16_t> digits;
    for (; magnitude != 0; magnitude >>= 15) digits.push_back(static_cast<uint16_t>(magnitude & 0x7fff));
    out += 'l';
    int32(static_cast<int32_t>(value < 0 ? -static_cast<int64_t>(digits.size()) : static_cast<int64_t>(digits.size())));
    for (uint16_t digit : digits) {
      out += static_cast<char>(digit & 0xff);
      out += static_cast<char>(digit >> 8);
    }
  }
  void write_string(const std::string& text) {
    if (const auto known = seen_.find(text); known != seen_.end()) {
      out += 'r';
      int32(known->second);
      return;
    }
    seen_.emplace(text, static_cast<int32_t>(seen_.size()));
    bool ascii = true;
    for (const char c : text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    if (ascii && text.size() < 256) {
      out += static_cast<char>('z' | flag_ref);
      out += static_cast<char>(text.size());
    } else {
      out += static_cast<char>((ascii ? 'a' : 'u') | flag_ref);
      int32(static_cast<int32_t>(text.size()));
    }
    out.append(text);
  }

  std::unordered_map<std::string, int32_t> seen_;  // each string's reference index
};

bool is_key(const Value* key) {
  return key->type == Value::Type::tuple && key->items.size() == 3 && key->items[0]->type == Value::Type::string &&
         key->items[2]->type == Value::Type::string;
}

}  // namespace

std::string rewrite_pstats(const Trimmer& trimmer, std::string_view input, const RewriteOptions& options,
                           std::vector<std::string>& warnings) {
  if (input.size() > max_pstats_bytes)
    throw error("is a pstats file larger than 64 MiB, which pyprefix does not hold to rewrite");
  Reader reader(input);
  const Value* root = reader.read_whole();
  if (root->type != Value::Type::dict) throw error("is not a pstats file pyprefix can read (not a dictionary)");

  // The functions: (file, line, name) keys with (cc, nc, tt, ct, callers) values, whose callers
  // are keyed the same. Other entries (3.15's sampler adds ('__sampled__',): True) stay as they are.
  auto is_function_entry = [](const Value* key, const Value* entry) {
    return is_key(key) && entry->type == Value::Type::tuple && entry->items.size() == 5 &&
           entry->items[4]->type == Value::Type::dict;
  };
  std::vector<const Value*> keys;
  for (size_t i = 0; i < root->items.size(); i += 2) {
    if (!is_function_entry(root->items[i], root->items[i + 1])) continue;
    keys.push_back(root->items[i]);
    const Value* callers = root->items[i + 1]->items[4];
    for (size_t j = 0; j < callers->items.size(); j += 2) {
      if (!is_key(callers->items[j]))
        throw error("is not a pstats file pyprefix can read (a caller is not (file, line, name))");
      keys.push_back(callers->items[j]);
    }
  }
  if (keys.empty() && !root->items.empty())
    throw error("is not a pstats file pyprefix can read (no entry is (file, line, name): (cc, nc, tt, ct, callers))");

  // What each file becomes, once.
  std::map<std::string, std::string> shortened;
  auto shorten = [&](const std::string& path) -> const std::string& {
    auto found = shortened.find(path);
    if (found != shortened.end()) return found->second;
    return shortened.emplace(path, shortened_file_name(trimmer, options, path)).first->second;
  };
  // Distinct keys that would become one keep their full paths.
  auto identity = [](const std::string& file, const Value* key) {
    Writer rest;
    rest.write(*key->items[1]);
    rest.write(*key->items[2]);
    return file + '\0' + rest.out;
  };
  std::map<std::string, std::set<std::string>> originals;  // new identity -> old identities
  for (const Value* key : keys)
    originals[identity(shorten(key->items[0]->text), key)].insert(identity(key->items[0]->text, key));
  std::set<std::string> kept;
  std::string example;
  for (const auto& [becomes, from] : originals) {
    if (from.size() < 2) continue;
    kept.insert(from.begin(), from.end());
    if (example.empty()) example = becomes.substr(0, becomes.find('\0'));
  }
  if (!kept.empty())
    warnings.push_back(std::to_string(kept.size()) + " functions would share a name once shortened (as in '" + example +
                       "'): they keep their full paths, so that no function's time is counted twice");

  // The new keys, and the table and callers tables built on them.
  std::deque<Value> made;
  std::map<const Value*, const Value*> new_key;
  for (const Value* key : keys) {
    if (new_key.count(key) != 0) continue;
    const std::string& file = key->items[0]->text;
    const std::string& short_file = shorten(file);
    if (short_file.size() == file.size() && short_file == file) {
      new_key[key] = key;
      continue;
    }
    if (kept.count(identity(file, key)) != 0) {
      new_key[key] = key;
      continue;
    }
    Value& name = made.emplace_back();
    name.type = Value::Type::string;
    name.text = short_file;
    Value& tuple = made.emplace_back();
    tuple.type = Value::Type::tuple;
    tuple.items = {&name, key->items[1], key->items[2]};
    new_key[key] = &tuple;
  }
  Value table;
  table.type = Value::Type::dict;
  for (size_t i = 0; i < root->items.size(); i += 2) {
    const Value* entry = root->items[i + 1];
    if (!is_function_entry(root->items[i], entry)) {
      table.items.insert(table.items.end(), {root->items[i], entry});
      continue;
    }
    const Value* callers = entry->items[4];
    Value& new_callers = made.emplace_back();
    new_callers.type = Value::Type::dict;
    for (size_t j = 0; j < callers->items.size(); j += 2)
      new_callers.items.insert(new_callers.items.end(), {new_key[callers->items[j]], callers->items[j + 1]});
    Value& new_entry = made.emplace_back();
    new_entry.type = Value::Type::tuple;
    new_entry.items = {entry->items[0], entry->items[1], entry->items[2], entry->items[3], &new_callers};
    table.items.insert(table.items.end(), {new_key[root->items[i]], &new_entry});
  }
  Writer writer;
  writer.write(table);
  return std::move(writer.out);
}

}  // namespace pyprefix::detail
