#include "domain/instructions.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_map>

#include "domain/value_range.hpp"
#include "util/html.hpp"

namespace visor {
namespace {

enum class BlockKind { paragraph, list_item };

struct Block {
  BlockKind kind;
  std::string text;  // may hold '\n' for line breaks
};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out.push_back(char(cp));
  } else if (cp < 0x800) {
    out.push_back(char(0xC0 | (cp >> 6)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(char(0xE0 | (cp >> 12)));
    out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(char(0xF0 | (cp >> 18)));
    out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  }
}

// Decodes one entity starting at html[i] == '&'; returns the characters
// consumed (0 if it is not an entity, so the '&' is kept literally).
std::size_t decode_entity(std::string_view html, std::size_t i, std::string& out) {
  static const std::unordered_map<std::string_view, std::string_view> named{
      {"amp", "&"},      {"lt", "<"},       {"gt", ">"},       {"quot", "\""},    {"apos", "'"},
      {"nbsp", " "},     {"deg", "°"},      {"eacute", "é"},   {"egrave", "è"},   {"agrave", "à"},
      {"ccedil", "ç"},   {"ecirc", "ê"},    {"ocirc", "ô"},    {"ucirc", "û"},    {"icirc", "î"},
      {"laquo", "«"},    {"raquo", "»"},    {"hellip", "…"},   {"ndash", "–"},    {"mdash", "—"},
      {"rsquo", "’"},    {"lsquo", "‘"},    {"rdquo", "”"},    {"ldquo", "“"},    {"micro", "µ"},
      {"plusmn", "±"},   {"times", "×"},    {"Eacute", "É"},   {"euro", "€"},     {"bull", "•"}};
  const std::size_t semi = html.find(';', i);
  if (semi == std::string_view::npos || semi - i > 10) return 0;
  const std::string_view name = html.substr(i + 1, semi - i - 1);
  if (name.size() > 1 && name[0] == '#') {
    std::uint32_t cp = 0;
    const bool hex = name[1] == 'x' || name[1] == 'X';
    const std::string_view num = name.substr(hex ? 2 : 1);
    if (num.empty()) return 0;
    for (char c : num) {
      const int d = std::isdigit((unsigned char)c) ? c - '0'
                    : hex && std::isxdigit((unsigned char)c) ? std::tolower((unsigned char)c) - 'a' + 10
                                                             : -1;
      if (d < 0 || cp > 0x10FFFF) return 0;
      cp = cp * (hex ? 16 : 10) + std::uint32_t(d);
    }
    append_utf8(out, cp == 0xA0 ? ' ' : cp);
    return semi - i + 1;
  }
  const auto it = named.find(name);
  if (it == named.end()) return 0;
  out.append(it->second);
  return semi - i + 1;
}

bool is_block_tag(std::string_view tag) {
  static constexpr std::array<std::string_view, 16> blocks{"p",  "div", "h1", "h2", "h3",    "h4",         "h5",  "h6",
                                                           "tr", "pre", "ol", "ul", "table", "blockquote", "hr", "section"};
  return std::find(blocks.begin(), blocks.end(), tag) != blocks.end();
}

// Splits HTML into paragraphs and list items, in document order.
std::vector<Block> to_blocks(std::string_view html) {
  std::vector<Block> blocks;
  Block current{BlockKind::paragraph, {}};
  int list_depth = 0;
  auto flush = [&] {
    if (current.text.find_first_not_of(" \n\t") != std::string::npos) blocks.push_back(current);
    current.text.clear();
    current.kind = list_depth > 0 ? BlockKind::list_item : BlockKind::paragraph;
  };
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<') {
      const std::size_t end = html.find('>', i);
      if (end == std::string_view::npos) break;  // truncated tag: drop the rest
      std::string_view tag = html.substr(i + 1, end - i - 1);
      const bool closing = !tag.empty() && tag[0] == '/';
      if (closing) tag.remove_prefix(1);
      std::size_t name_end = 0;
      while (name_end < tag.size() && std::isalnum((unsigned char)tag[name_end])) ++name_end;
      const std::string name = lower(tag.substr(0, name_end));
      i = end + 1;
      if (name == "script" || name == "style") {
        if (!closing) {
          const std::size_t close = lower(html.substr(i)).find("</" + name);
          i = close == std::string::npos ? html.size() : i + close;
        }
        continue;
      }
      if (name == "br") {
        current.text.push_back('\n');
      } else if (name == "li") {
        flush();
        current.kind = BlockKind::list_item;
      } else if (name == "ol" || name == "ul") {
        flush();
        list_depth = std::max(0, list_depth + (closing ? -1 : 1));
        current.kind = list_depth > 0 ? BlockKind::list_item : BlockKind::paragraph;
      } else if (is_block_tag(name)) {
        flush();
      } else if (name == "td" || name == "th") {
        current.text.push_back(' ');
      }
      continue;
    }
    if (c == '&') {
      const std::size_t used = decode_entity(html, i, current.text);
      if (used > 0) {
        i += used;
        continue;
      }
    }
    current.text.push_back(c == '\t' || c == '\r' ? ' ' : c);
    ++i;
  }
  flush();
  return blocks;
}

std::string fold_spaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t nl = text.find('\n', start);
    const std::string line = fold_spaces(text.substr(start, nl == std::string_view::npos ? nl : nl - start));
    if (!line.empty()) lines.push_back(line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return lines;
}

// "1. Do x" / "2) Do x" / "- Do x" / "• Do x" / "Step 3: Do x" → "Do x".
std::string strip_enumerator(std::string s) {
  std::size_t i = 0;
  const std::string low = lower(s.substr(0, 6));
  if (low.rfind("step ", 0) == 0 || low.rfind("étape", 0) == 0) {
    i = s.find_first_of(" ") + 1;
    std::size_t j = i;
    while (j < s.size() && std::isdigit((unsigned char)s[j])) ++j;
    if (j > i && j < s.size() && (s[j] == ':' || s[j] == '.' || s[j] == ')')) return fold_spaces(s.substr(j + 1));
    return s;
  }
  while (i < s.size() && std::isdigit((unsigned char)s[i])) ++i;
  if (i > 0 && i < s.size() && (s[i] == '.' || s[i] == ')') && i + 1 < s.size() && s[i + 1] == ' ')
    return fold_spaces(s.substr(i + 1));
  if (s.rfind("- ", 0) == 0 || s.rfind("* ", 0) == 0) return fold_spaces(s.substr(2));
  if (s.rfind("• ", 0) == 0) return fold_spaces(s.substr(std::string_view("• ").size()));
  return s;
}

bool is_safety(const std::string& text) {
  static constexpr std::array<std::string_view, 9> keys{"safety", "warning", "caution",   "danger", "attention",
                                                        "sécurité", "securite", "avertissement", "⚠"};
  const std::string low = lower(text.substr(0, 24));
  return std::any_of(keys.begin(), keys.end(), [&](std::string_view k) { return low.rfind(k, 0) == 0; });
}

// An untagged step: a number step (not required) when it asks to measure,
// record or read a value.
StepSpec plain_step(std::string text) {
  StepSpec spec;
  spec.text = std::move(text);
  const std::string low = lower(spec.text);
  static constexpr std::array<std::string_view, 9> verbs{"measure", "record", "reading", "read the", "note the",
                                                         "mesure",  "relever", "relevez", "noter"};
  spec.wants_value = std::any_of(verbs.begin(), verbs.end(), [&](std::string_view v) {
    return low.find(v) != std::string::npos;
  });
  if (!spec.wants_value) return spec;
  spec.kind = StepKind::number;
  if (const auto range = range_in_words(spec.text)) {
    spec.min = range->min;
    spec.max = range->max;
    spec.unit = range->unit;
  }
  const std::size_t open = spec.text.rfind('(');
  const std::size_t close = spec.text.rfind(')');
  if (open != std::string::npos && close != std::string::npos && close > open + 1 && close - open <= 16 &&
      !leading_decimal(spec.text.substr(open + 1))) {
    spec.unit = spec.text.substr(open + 1, close - open - 1);
    return spec;
  }
  const std::size_t in = low.rfind(" in ");
  if (in != std::string::npos && spec.unit.empty()) {
    std::string unit = spec.text.substr(in + 4);
    while (!unit.empty() && (unit.back() == '.' || unit.back() == ' ')) unit.pop_back();
    if (!unit.empty() && unit.size() <= 16 && unit.find(' ') == std::string::npos) spec.unit = unit;
  }
  return spec;
}

// One line of instructions: a typed step, a sign-off directive or a plain step.
void add_line(ParsedInstructions& out, const std::string& line) {
  std::string text = strip_enumerator(line);
  TaggedLine tagged = read_step_tag(text);
  if (!tagged.warning.empty())
    out.warnings.push_back("step " + std::to_string(out.steps.size() + 1) + ": " + tagged.warning);
  if (tagged.signoff) {
    out.signoff = std::max(out.signoff, *tagged.signoff);
    return;
  }
  out.steps.push_back(tagged.step ? std::move(*tagged.step) : plain_step(std::move(text)));
}

bool is_tagged(const std::string& line) {
  const TaggedLine t = read_step_tag(strip_enumerator(line));
  return t.step || t.signoff;
}

}  // namespace

std::string html_to_text(std::string_view html) {
  std::string out;
  for (const Block& b : to_blocks(html)) {
    for (const std::string& line : lines_of(b.text)) {
      if (!out.empty()) out.push_back('\n');
      out.append(line);
    }
  }
  return out;
}

ParsedInstructions parse_instructions(const Instructions& in) {
  ParsedInstructions out;
  if (in.kind == InstructionKind::pdf || in.kind == InstructionKind::google_slide) {
    out.summary = in.url.empty() ? std::string{} : "Instructions: " + in.url;
  }
  if (in.text.empty()) return out;
  const std::vector<Block> blocks = to_blocks(in.text);
  const bool has_list = std::any_of(blocks.begin(), blocks.end(), [](const Block& b) {
    return b.kind == BlockKind::list_item;
  });
  bool seen_list = false;
  std::vector<std::string> summary;
  for (const Block& b : blocks) {
    const std::vector<std::string> lines = lines_of(b.text);
    if (lines.empty()) continue;
    if (b.kind == BlockKind::paragraph && is_safety(lines.front())) {
      out.safety.push_back(fold_spaces(b.text));
      continue;
    }
    if (b.kind == BlockKind::list_item) {
      seen_list = true;
      add_line(out, fold_spaces(b.text));
      continue;
    }
    if (has_list) {
      // Paragraphs before the first list introduce it (unless tagged); later
      // ones are notes that still belong to the work, so they become steps.
      if (!seen_list && !is_tagged(lines.front())) {
        summary.push_back(fold_spaces(b.text));
        continue;
      }
      for (const std::string& line : lines) add_line(out, line);
      continue;
    }
    for (const std::string& line : lines) add_line(out, line);
  }
  for (const std::string& s : summary) {
    if (!out.summary.empty()) out.summary.push_back('\n');
    out.summary.append(s);
  }
  return out;
}

ParsedInstructions parse_procedure_text(std::string_view text) {
  return parse_instructions(Instructions{InstructionKind::text, escape_html(text), {}});
}

std::vector<Step> merge_steps(const std::vector<Step>& old_steps, const std::vector<StepSpec>& specs,
                              StepOrigin origin, int first) {
  std::vector<Step> steps;
  steps.reserve(specs.size());
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const StepSpec& spec = specs[i];
    Step step;
    step.number = first + int(i);
    step.text = spec.text;
    step.kind = spec.kind;
    step.wants_value = spec.kind == StepKind::number;
    step.unit = spec.unit;
    step.min = spec.min;
    step.max = spec.max;
    step.options = spec.options;
    step.required = spec.required;
    step.meter = spec.meter;
    step.origin = origin;
    const auto same = std::find_if(old_steps.begin(), old_steps.end(), [&](const Step& s) {
      return s.text == step.text && s.kind == step.kind && s.origin == origin;
    });
    if (same != old_steps.end()) {
      step.done = same->done;
      step.note = same->note;
      step.value = same->value;
      step.done_at = same->done_at;
      step.done_by = same->done_by;
    }
    steps.push_back(std::move(step));
  }
  return steps;
}

bool valid_instruction_url(std::string_view url) {
  if (url.empty()) return true;
  for (char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '\\') return false;
  }
  constexpr std::string_view kHttps = "https://";
  if (url.size() > kHttps.size() && std::equal(kHttps.begin(), kHttps.end(), url.begin(), [](char a, char b) {
        return a == (b >= 'A' && b <= 'Z' ? char(b - 'A' + 'a') : b);
      })) {
    const std::string_view rest = url.substr(kHttps.size());
    const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    return !authority.empty() && authority.find('@') == std::string_view::npos && authority.front() != ':';
  }
  return url.front() == '/' && (url.size() == 1 || url[1] != '/');
}

}  // namespace visor
