#pragma once

// The on-disk format of a Pillar index: the one place where term prefixes, value slots and
// metadata keys are defined. The indexer writes with it and the query side parses with it.
// Change anything here and bump kSchemaVersion.

#include <cstdint>
#include <string_view>

#include <xapian.h>

namespace pillar::schema {

// Stored under the metadata key kMetaSchema. An index with another version is refused with
// a message asking to re-index (which loses nothing: manual tags live in the annotation store).
inline constexpr std::string_view kSchemaVersion = "8";

// The passage id scheme (docs/ids.md): "content-1" names unnumbered passages by a hash of
// their text. It is part of every file's fingerprint, so a binary with another scheme
// re-indexes every document on its next run and records the ids that moved as aliases
// (kMetaAliasPrefix), with no rebuild and no schema change.
inline constexpr std::string_view kIdScheme = "content-1";

// How a field is indexed.
enum class FieldKind {
  kBoolean,  // exact filter term, no positions, no wdf (e.g. doc:s-res-2719-2023)
  kText,     // analysed free text, matched by stem (e.g. title:mandate)
};

struct Field {
  std::string_view name;    // the query-language field name ("doc" in doc:...)
  std::string_view prefix;  // the Xapian term prefix
  FieldKind kind;
};

// Passage body text uses no prefix: unprefixed words with positions, and no stem terms; the
// synonym table maps "Z" + stem to the words that have it (docs/schema.md).
inline constexpr Field kFields[] = {
    {"id", "Q", FieldKind::kBoolean},        // unique passage id (replace_document key)
    {"doc", "XD", FieldKind::kBoolean},      // document id
    {"org", "XO", FieldKind::kBoolean},      // issuing body, slugified ("united-nations-security-council")
    {"type", "XT", FieldKind::kBoolean},     // document type ("resolution")
    {"lang", "L", FieldKind::kBoolean},      // ISO 639-1 language
    {"year", "Y", FieldKind::kBoolean},      // four-digit year
    {"pillar", "XP", FieldKind::kBoolean},   // concept id of every tag the passage carries
    {"symbol", "XN", FieldKind::kBoolean},   // normalised document symbol (see NormalizeSymbol)
    {"title", "S", FieldKind::kText},        // document title
    {"section", "XS", FieldKind::kText},     // heading trail: the headings that rank
    {"section", "XC", FieldKind::kText},     //   and the rest (captions, dates: IsRankingHeading)
    {"speaker", "XW", FieldKind::kText},     // who speaks the passage (debates), as words
};

inline constexpr std::string_view kPrefixId = "Q";
inline constexpr std::string_view kPrefixDoc = "XD";
inline constexpr std::string_view kPrefixOrg = "XO";
inline constexpr std::string_view kPrefixType = "XT";
inline constexpr std::string_view kPrefixLang = "L";
inline constexpr std::string_view kPrefixYear = "Y";
inline constexpr std::string_view kPrefixPillar = "XP";
inline constexpr std::string_view kPrefixSymbol = "XN";
inline constexpr std::string_view kPrefixTitle = "S";
inline constexpr std::string_view kPrefixSection = "XS";
inline constexpr std::string_view kPrefixSectionOther = "XC";
inline constexpr std::string_view kPrefixSpeaker = "XW";
inline constexpr std::string_view kPrefixStem = "Z";  // Z + prefix + stem, as the parser writes
// Synonym-table keys (not terms): "XA" + AcronymKey ("XARSF", "XAIDP") -> "RSF=rapid support
// forces", one entry per long form the indexed documents define for it
// (indexer/segment/acronyms.h). An optional table: an index without it searches as before.
inline constexpr std::string_view kSynonymAcronym = "XA";
// What the indexer derives beside the schema's terms: acronym definitions (the synonym
// table's kSynonymAcronym entries), fragment kinds (kKindFragment) and list items' lead-ins
// (their words among the XS heading terms: Passage::lead_in; "leadins-4": also the items a
// reader marks, Block::list_item). Part of every file's fingerprint (like kIdScheme), so an
// index made before them, or by a binary that derives them otherwise, re-reads every
// document on its next run instead of being refused.
inline constexpr std::string_view kDerivedScheme = "acronyms-3,fragments-3,leadins-4";
// How the readers cut a file into blocks where a change alters the passages of files already
// indexed: "pdf-2" reads a lone short italic line of a PDF as a heading (pdf_layout.h). Part
// of every file's fingerprint too, so after such a change every file is read again on the
// next run (as after a kDerivedScheme change), with no schema bump.
inline constexpr std::string_view kReaderScheme = "pdf-2";
// The passage's kind where it is not body text, for ranking (no query field): `XKfootnote` on
// footnotes, endnotes and reference notes, which rank at a fraction of their text weight.
inline constexpr std::string_view kPrefixKind = "XK";
inline constexpr std::string_view kKindFootnote = "XKfootnote";
// `XKfragment` on a body passage too short to stand alone, or a caption or source note
// (IsFragment in document_builder.h): it ranks at the footnotes' factor. An optional term:
// an index without it ranks such passages as body text.
inline constexpr std::string_view kKindFragment = "XKfragment";
// The kinds that rank at the footnotes' factor; `--explain` names each by what follows "XK".
inline constexpr std::string_view kKindsRankedAsNotes[] = {kKindFootnote, kKindFragment};

// Value slots, one value per passage each.
enum class Slot : Xapian::valueno {
  kDocId = 0,    // document id, raw UTF-8 (collapse key)
  kYear = 1,     // sortable_serialise(year) (year ranges)
  kOrdinal = 2,  // sortable_serialise(ordinal) (document order)
  // The passage's concept ids, sorted, joined by one space (schema 8; PillarSetValue). Local
  // facets come from the XD and XP postings (query/search/facet_index.h); over remote shards
  // a Xapian::ValueCountMatchSpy on this slot and on kDocId counts them on each shard
  // (docs/scaling.md). (Up to schema 2 slot 3 held pillars in another form, and slot 4 the
  // page, which now comes from the passage data.)
  kPillars = 3,
};

constexpr Xapian::valueno SlotNo(Slot s) { return static_cast<Xapian::valueno>(s); }

// Document data: the passage (id, doc_id, ordinal, section, locator, page, text, begin, end,
// footnote, language, speaker, pillars) as a binary record. See passage_codec.h.

// Metadata keys.
inline constexpr std::string_view kMetaSchema = "pillar:schema";
// The taxonomy file the passages were tagged with (absolute path), so that `pillar tag`,
// `eval`, `export`, `report` and `--crosswalk` use the same rules and labels.
inline constexpr std::string_view kMetaTaxonomy = "pillar:taxonomy";
// When the index was last built whole (shards compacted and swapped in), ISO 8601 UTC.
// Written with enough commits that the new database's revision is above the one it replaces,
// so a reader open on the old database reopens onto the new one.
inline constexpr std::string_view kMetaBuiltAt = "pillar:built-at";
// The id of the latest manual decision (AnnotationStore::LastId) whose effect every passage
// of the index shows, as decimal text; absent means 0. `pillar tag` records a decision in the
// store before it updates the index: a tag killed in between leaves a decision this key does
// not cover, and the next `pillar index` applies it (an optional key: no schema change).
inline constexpr std::string_view kMetaAnnotationsApplied = "pillar:annotations-applied";
// The shard an index folder holds ("K/N", indexer/index/shard_spec.h), when it was built with
// `pillar index --shard K/N`; absent for a whole index.
inline constexpr std::string_view kMetaShard = "pillar:shard";
// "doc:<doc-id>"  -> JSON: the document's metadata, file path, content hash, passage count.
inline constexpr std::string_view kMetaDocPrefix = "doc:";
// "file:<canonical path>" -> doc id; lets a re-run find what a file produced before.
inline constexpr std::string_view kMetaFilePrefix = "file:";
// "text:<doc-id>" -> the document's extracted text (passage byte ranges point into it).
inline constexpr std::string_view kMetaTextPrefix = "text:";
// "alias:<old passage id>" -> the id that passage has now (indexer/index/id_aliases.h): kept
// when a re-index renames a passage, so that citations and exports made before still resolve.
// An optional key: an index without aliases reads as before (no schema change).
inline constexpr std::string_view kMetaAliasPrefix = "alias:";

}  // namespace pillar::schema
