#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "indexer/index/passage_codec.h"
#include "indexer/segment/passage.h"
#include "indexer/tag/taxonomy.h"

namespace pillar {

// RFC 4180 CSV: CRLF record ends, fields holding a comma, a double quote, CR or LF are
// enclosed in double quotes with inner quotes doubled; UTF-8 throughout.

// The UTF-8 byte-order mark Excel needs to read a CSV file as UTF-8.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// One field, quoted when needed.
std::string CsvField(std::string_view value);
// One record: the fields joined by commas, ended by CRLF. With `defuse`, every field goes
// through DefuseFormula first.
std::string CsvRecord(const std::vector<std::string>& fields, bool defuse = false);

// A cell a spreadsheet would run as a formula (it starts with '=', '+', '-', '@', a tab or a
// carriage return: OWASP's CSV injection list) gets a leading apostrophe, which spreadsheets
// show as text; any other value is returned as it is.
std::string DefuseFormula(std::string_view value);

// The columns of the passage x tag export: passage_id, doc_id, title, symbol, issuer, date,
// language, locator, page, section, concept, scheme, source, score, evidence, by, when,
// note, text.
const std::vector<std::string>& PassageTagCsvHeader();

// The records of one passage: one per tag; a passage without tags gives one record whose
// tag columns are empty. `taxonomy` (may be null) gives each concept's scheme id. Evidence
// items are joined by "; ", the section trail by " > ", page is empty when unknown. With
// `defuse` (export --excel), cells that would run as formulas are defused (DefuseFormula).
std::string PassageTagCsvRecords(const Passage& passage, const DocumentRecord& document,
                                 const Taxonomy* taxonomy, bool defuse = false);

}  // namespace pillar
