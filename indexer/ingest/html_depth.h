#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace pillar {

// The deepest element nesting handed to the HTML parser. Gumbo follows the HTML5 tree builder,
// which checks the stack of open elements on every start tag ("a <p> in button scope?"), so a
// page of N nested <div>s costs O(N^2): 100,000 took two minutes. Browsers cap the tree depth
// the same way (Blink at 512). Real pages nest a few dozen levels.
inline constexpr size_t kMaxHtmlDepth = 512;

// Returns `bytes` with the start and end tags of elements nested deeper than `max_depth`
// removed (their text and everything else kept, so it joins the element at the limit), or
// `bytes` itself, uncopied, when nothing is that deep. `storage` holds the copy when one is
// made. One linear pass; comments, <script>/<style> contents and other raw text are
// copied as they are. Elements the parser closes by itself (p, li, td, option...) and
// void elements (br, img...) do not count towards the depth, so sloppy markup that leaves them
// open never reaches the limit.
std::string_view LimitHtmlNesting(std::string_view bytes, std::string* storage,
                                  size_t max_depth = kMaxHtmlDepth);

}  // namespace pillar
