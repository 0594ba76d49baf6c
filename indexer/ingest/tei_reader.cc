#include "indexer/ingest/tei_reader.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "indexer/base/text.h"
#include "indexer/ingest/xml_util.h"

namespace pillar {
namespace {

// Bounds on the members a <teiCorpus> pulls in with <xi:include>.
constexpr int kMaxIncludes = 10000;
constexpr uint64_t kMaxIncludedBytes = 256ull << 20;  // 256 MiB, all members together
// How deep <teiCorpus> elements may nest inside one another.
constexpr int kMaxCorpusDepth = 8;
// How far up from a block the reader looks for the <u> or <sp> that gives its speaker.
constexpr int kMaxSpeechDepth = 64;

bool IsDiv(std::string_view n) {
  return n == "div" || (n.size() == 4 && StartsWith(n, "div") && n[3] >= '1' && n[3] <= '7');
}

bool IsBlock(std::string_view n) {
  return n == "p" || n == "ab" || n == "item" || n == "lg" || n == "l" || n == "quote";
}

// Stage directions and other text that is not the words of the document: kept as notes.
bool IsNoteLike(std::string_view n) {
  return n == "note" || n == "stage" || n == "kinesic" || n == "vocal" || n == "incident" ||
         n == "gap";
}

// "Pere Pérez" from <persName><surname>Pérez</surname><forename>Pere</forename></persName>:
// the forenames, then the surnames (name links such as "i" or "de" kept in place among them);
// the whole text of the persName when it has neither.
std::string PersonName(const pugi::xml_node& pers_name) {
  std::string forenames, surnames;
  for (pugi::xml_node c = pers_name.first_child(); c; c = c.next_sibling()) {
    std::string_view name = LocalName(c);
    std::string text = CollapseWhitespace(XmlText(c));
    if (text.empty()) continue;
    std::string& to = name == "forename" ? forenames : surnames;
    if (name != "forename" && name != "surname" && name != "nameLink") continue;
    if (!to.empty()) to += ' ';
    to += text;
  }
  if (forenames.empty() && surnames.empty()) return CollapseWhitespace(XmlText(pers_name));
  if (forenames.empty() || surnames.empty()) return forenames + surnames;
  return forenames + " " + surnames;
}

// The first id of a @who ("#PerezPere", "PerezPere", "#A #B" -> "A").
std::string WhoId(std::string_view who) {
  who = TrimAscii(who);
  who = who.substr(0, who.find_first_of(" \t\r\n"));
  if (StartsWith(who, "#")) who.remove_prefix(1);
  return std::string(who);
}

struct TeiWalker {
  ExtractedDocument* out = nullptr;
  int page = 0;
  int notes = 0;
  std::vector<std::pair<std::string, std::string>> pending;  // (n, text) of notes
  std::map<std::string, std::string> persons;                // xml:id -> name (listPerson)
  std::map<std::string, std::string> named_in_notes;         // who id -> name from a note
  std::string speaker_note;  // the last <note type="speaker"> not yet used by a <u>
  std::map<const void*, std::string> speeches;  // <u>/<sp> node -> its speaker

  void AddPersons(const pugi::xml_node& header) {
    WalkXml(header, [&](const pugi::xml_node& n) {
      if (n.type() != pugi::node_element) return false;
      if (LocalName(n) != "person") return true;
      std::string id(Attr(n, "id"));
      pugi::xml_node pers_name = Child(n, "persName");
      std::string name = pers_name ? PersonName(pers_name) : std::string();
      if (!id.empty() && !name.empty()) persons.emplace(id, name);
      return false;
    });
  }

  // Who speaks <u who=...>: the listPerson's name for the id; else the name in the speaker
  // note before it ("El lletrat major (Antoni Bayona Rocamora)" -> the name in parentheses,
  // remembered for later notes of the same id that give only the role), else the note's text;
  // else the id itself.
  std::string ResolveUtterance(const pugi::xml_node& u) {
    std::string id = WhoId(Attr(u, "who"));
    std::string note = std::move(speaker_note);
    speaker_note.clear();
    if (auto it = persons.find(id); it != persons.end()) return it->second;
    if (!note.empty()) {
      size_t open = note.rfind('(');
      if (note.back() == ')' && open != std::string::npos) {
        std::string name(
            TrimAscii(std::string_view(note).substr(open + 1, note.size() - open - 2)));
        if (!name.empty()) {
          if (!id.empty()) named_in_notes[id] = name;
          return name;
        }
      }
    }
    if (auto it = named_in_notes.find(id); it != named_in_notes.end()) return it->second;
    return note.empty() ? id : note;
  }

  // Who speaks in <sp>: its <speaker> as printed, else its @who resolved as for <u>.
  std::string ResolveSpeech(const pugi::xml_node& sp) {
    std::string printed = CollapseWhitespace(XmlText(Child(sp, "speaker")));
    if (!printed.empty()) return printed;
    return ResolveUtterance(sp);
  }

  std::string SpeakerOf(const pugi::xml_node& node) const {
    int depth = 0;
    for (pugi::xml_node a = node; a && depth < kMaxSpeechDepth; a = a.parent(), ++depth) {
      auto it = speeches.find(a.internal_object());
      if (it != speeches.end()) return it->second;
    }
    return {};
  }

  void AddNote(const pugi::xml_node& n) {
    pending.emplace_back(std::string(Attr(n, "n")), CollapseWhitespace(XmlText(n)));
  }

  // Text of a block with notes and stage directions moved to `pending`; page breaks inside
  // update `page` for the blocks that follow.
  std::string TextOf(const pugi::xml_node& node) {
    return XmlText(node, [&](const pugi::xml_node& n) {
      std::string_view name = LocalName(n);
      if (IsNoteLike(name)) {
        AddNote(n);
        return true;
      }
      if (name == "pb") {
        int p = std::atoi(std::string(Attr(n, "n")).c_str());
        page = p > 0 ? p : page + 1;
      }
      return name == "fw" || name == "pb" || name == "lb" || name == "graphic" ||
             name == "figDesc" || name == "speaker";
    });
  }

  void Flush() {
    for (auto& [n, text] : pending) {
      if (text.empty()) continue;
      ++notes;
      out->AddBlock(BlockKind::kFootnote, text, 0, page, n.empty() ? std::to_string(notes) : n);
    }
    pending.clear();
  }

  // Adds a paragraph of `node`'s text, spoken by the speaker of the <u> or <sp> around it.
  void AddParagraph(const pugi::xml_node& node, std::string_view text, int start_page) {
    Block* block = out->AddBlock(BlockKind::kParagraph, text, 0, start_page,
                                 std::string(Attr(node, "n")), std::string(Attr(node, "id")));
    if (block != nullptr) {
      block->speaker = SpeakerOf(node);
      // A <list>'s <item> holds no marker of its own (a <label> beside it may).
      block->list_item = LocalName(node) == "item";
    }
  }

  void Walk(const pugi::xml_node& root, int base_level) {
    // Heading level = number of div ancestors below `root`.
    WalkXml(root, [&](const pugi::xml_node& n) {
      if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) {
        // Words directly in an utterance that also has <seg>s: a passage of their own.
        if (LocalName(n.parent()) == "u" && !TrimAscii(n.value()).empty()) {
          AddParagraph(n, n.value(), page);
        }
        return false;
      }
      if (n.type() != pugi::node_element) return false;
      std::string_view name = LocalName(n);
      if (name == "head") {
        int level = base_level;
        for (pugi::xml_node a = n.parent(); a && a != root; a = a.parent()) {
          if (IsDiv(LocalName(a))) ++level;
        }
        int start_page = page;
        std::string text = TextOf(n);
        out->AddBlock(BlockKind::kHeading, text, std::clamp(level, 1, 6), start_page, {},
                      std::string(Attr(n, "id")));
        Flush();
        return false;
      }
      if (name == "pb") {
        int p = std::atoi(std::string(Attr(n, "n")).c_str());
        page = p > 0 ? p : page + 1;
        return false;
      }
      if (name == "note" && Attr(n, "type") == "speaker") {
        speaker_note = CollapseWhitespace(XmlText(n));
      }
      if (IsNoteLike(name)) {
        AddNote(n);
        Flush();
        return false;
      }
      if (name == "fw" || name == "figure" || name == "teiHeader" || name == "speaker") {
        return false;
      }
      if (name == "u") {
        speeches[n.internal_object()] = ResolveUtterance(n);
        if (Descendant(n, "seg")) return true;  // one passage per <seg>
        int start_page = page;
        std::string text = TextOf(n);
        AddParagraph(n, text, start_page);
        Flush();
        return false;
      }
      if (name == "sp") {
        speeches[n.internal_object()] = ResolveSpeech(n);
        return true;
      }
      if (IsBlock(name) || (name == "seg" && LocalName(n.parent()) == "u")) {
        // A list item or quote holding paragraphs: descend to the paragraphs instead.
        if (name != "p" && name != "seg" && Descendant(n, "p")) return true;
        int start_page = page;
        std::string text = TextOf(n);
        AddParagraph(n, text, start_page);
        Flush();
        return false;
      }
      return true;
    });
  }
};

// Metadata from a teiHeader into `meta` (fields already set are kept).
void ReadHeader(const pugi::xml_node& root, DocumentMetadata* out_meta) {
  DocumentMetadata meta;
  pugi::xml_node header = Child(root, "teiHeader");
  pugi::xml_node file_desc = Child(header, "fileDesc");
  pugi::xml_node title_stmt = Child(file_desc, "titleStmt");
  pugi::xml_node pub = Child(file_desc, "publicationStmt");
  for (pugi::xml_node t = title_stmt.first_child(); t; t = t.next_sibling()) {
    if (LocalName(t) != "title") continue;
    if (meta.title.empty() || Attr(t, "type") == "main") {
      meta.title = CollapseWhitespace(XmlText(t));
    }
  }
  for (pugi::xml_node a = title_stmt.first_child(); a; a = a.next_sibling()) {
    if (LocalName(a) != "author") continue;
    std::string name = CollapseWhitespace(XmlText(a));
    if (name.empty()) continue;
    if (!meta.author.empty()) meta.author += "; ";
    meta.author += name;
  }
  meta.issuer = CollapseWhitespace(XmlText(Child(pub, "authority")));
  if (meta.issuer.empty()) meta.issuer = CollapseWhitespace(XmlText(Child(pub, "publisher")));
  pugi::xml_node date = Child(pub, "date");
  meta.date = std::string(TrimAscii(Attr(date, "when")));
  if (meta.date.empty()) meta.date = CollapseWhitespace(XmlText(date));
  for (pugi::xml_node i = pub.first_child(); i; i = i.next_sibling()) {
    if (LocalName(i) == "idno" && Attr(i, "type") == "symbol") {
      meta.symbol = CollapseWhitespace(XmlText(i));
    }
  }
  pugi::xml_node lang_usage = Child(Child(header, "profileDesc"), "langUsage");
  meta.language = LanguageCode(Attr(Child(lang_usage, "language"), "ident"));
  if (meta.language.empty()) meta.language = LanguageCode(Attr(Child(root, "text"), "lang"));
  if (meta.language.empty()) meta.language = LanguageCode(Attr(root, "lang"));
  out_meta->FillFrom(meta);
}

// Reads a teiCorpus or TEI document, following a corpus's <xi:include>s of members.
class TeiDocumentReader {
 public:
  TeiDocumentReader(const std::filesystem::path& path, ExtractedDocument* out)
      : dir_(path.parent_path().lexically_normal()) {
    walker_.out = out;
  }

  // `in_corpus`: a member of a teiCorpus, whose title becomes a heading above its text.
  Status ReadRoot(const pugi::xml_node& root, bool in_corpus) {
    ReadHeader(root, &walker_.out->meta);
    walker_.AddPersons(Child(root, "teiHeader"));
    Status people = ReadPersonIncludes(Child(root, "teiHeader"));
    if (!people.ok()) return people;
    if (LocalName(root) == "teiCorpus") {
      if (++corpus_depth_ > kMaxCorpusDepth) {
        return Status::Unsupported("<teiCorpus> nested more than " +
                                   std::to_string(kMaxCorpusDepth) + " deep");
      }
      bool any = false;
      for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) {
        std::string_view name = LocalName(c);
        if (name == "TEI" || name == "teiCorpus") {
          Status st = ReadRoot(c, true);
          if (!st.ok()) return st;
          any = true;
        } else if (name == "include") {
          Status st = ReadInclude(c);
          if (!st.ok()) return st;
          any = true;
        }
      }
      --corpus_depth_;
      if (!any) return Status::Corruption("<teiCorpus> has no <TEI> members");
      return Status::Ok();
    }
    pugi::xml_node text = Child(root, "text");
    if (!text) return Status::Corruption("<TEI> has no <text>");
    int base_level = 0;
    if (in_corpus) {
      DocumentMetadata member;
      ReadHeader(root, &member);
      walker_.out->AddBlock(BlockKind::kHeading, member.title, 1, walker_.page, {},
                            std::string(Attr(root, "id")));
      base_level = 1;
    }
    for (pugi::xml_node part = text.first_child(); part; part = part.next_sibling()) {
      std::string_view name = LocalName(part);
      if (name == "front" || name == "body" || name == "back") walker_.Walk(part, base_level);
    }
    walker_.Flush();
    walker_.speeches.clear();  // keyed by nodes of this tree, which an include frees
    return Status::Ok();
  }

 private:
  // A member in another file, read as a <TEI> whose own includes are not followed.
  Status ReadInclude(const pugi::xml_node& include) {
    pugi::xml_document xml;
    Status st = LoadInclude(include, &xml);
    if (!st.ok()) return st;
    pugi::xml_node root = xml.document_element();
    if (LocalName(root) != "TEI") return IncludeError(include, "the root element is not <TEI>");
    return ReadRoot(root, true);
  }

  // The people of a header's <particDesc> or <listPerson> that are in another file (ParlaMint
  // corpora keep them in one list for all sittings). Other includes of a header (taxonomies)
  // hold no text of the document and are not followed.
  Status ReadPersonIncludes(const pugi::xml_node& header) {
    std::vector<pugi::xml_node> includes;
    WalkXml(header, [&](const pugi::xml_node& n) {
      if (n.type() != pugi::node_element) return false;
      std::string_view parent = LocalName(n.parent());
      if (LocalName(n) == "include" && (parent == "particDesc" || parent == "listPerson")) {
        includes.push_back(n);
      }
      return true;
    });
    for (const pugi::xml_node& include : includes) {
      pugi::xml_document xml;
      Status st = LoadInclude(include, &xml);
      if (!st.ok()) return st;
      std::string_view root = LocalName(xml.document_element());
      if (root != "listPerson" && root != "particDesc" && root != "person") {
        return IncludeError(include, "the root element is not <listPerson>");
      }
      walker_.AddPersons(xml);
    }
    return Status::Ok();
  }

  static Status IncludeError(const pugi::xml_node& include, const std::string& why) {
    return Status::Unsupported("<xi:include href=\"" + std::string(Attr(include, "href")) +
                               "\">: " + why);
  }

  // Loads the file an <xi:include> names: a relative href inside the corpus file's folder
  // (checked lexically), a regular file, within the bounds on includes.
  Status LoadInclude(const pugi::xml_node& include, pugi::xml_document* xml) {
    std::string href(TrimAscii(Attr(include, "href")));
    auto fail = [&](const std::string& why) { return IncludeError(include, why); };
    if (href.empty() || href.find(':') != std::string::npos || href.front() == '/' ||
        !Attr(include, "xpointer").empty() || (Attr(include, "parse") == "text")) {
      return fail("only relative hrefs to whole XML files are followed");
    }
    std::filesystem::path target = (dir_ / href).lexically_normal();
    std::filesystem::path rel = dir_.empty() ? target : target.lexically_relative(dir_);
    if (rel.empty() || *rel.begin() == "..") return fail("outside the corpus file's folder");
    if (++includes_ > kMaxIncludes) {
      return fail("more than " + std::to_string(kMaxIncludes) + " included files");
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(target, ec)) {
      return Status::IOError("<xi:include href=\"" + href + "\">: cannot read " + target.string() +
                             " (missing or not a file)");
    }
    uint64_t size = std::filesystem::file_size(target, ec);
    if (ec || included_bytes_ + size > kMaxIncludedBytes) {
      return fail("included files over 256 MiB in all");
    }
    std::ifstream in(target, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      return Status::IOError("<xi:include href=\"" + href + "\">: cannot read " + target.string());
    }
    included_bytes_ += bytes.size();
    if (StartsWith(bytes, "\xEF\xBB\xBF")) bytes.erase(0, 3);
    if (FindInvalidUtf8(bytes) != std::string::npos) return fail("not valid UTF-8");
    bytes = NormalizeNfc(bytes);
    return LoadXml(bytes, xml, href);
  }

  std::filesystem::path dir_;
  TeiWalker walker_;
  int includes_ = 0;
  int corpus_depth_ = 0;
  uint64_t included_bytes_ = 0;
};

}  // namespace

Status TeiReader::Read(const std::filesystem::path& path, std::string_view bytes,
                       ExtractedDocument* out) const {
  pugi::xml_document xml;
  Status st = LoadXml(bytes, &xml);
  if (!st.ok()) return st;
  pugi::xml_node root = xml.document_element();
  if (LocalName(root) != "TEI" && LocalName(root) != "teiCorpus") {
    return Status::Corruption("root element is <" + std::string(root.name()) +
                              ">, not <TEI> or <teiCorpus>");
  }
  return TeiDocumentReader(path, out).ReadRoot(root, false);
}

}  // namespace pillar
