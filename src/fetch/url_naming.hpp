// The file name a URL is saved under: safe by construction.
//
// The name is the last segment of the URL's path as parsed by libcurl
// (query and fragment are not part of the path), still percent-encoded: an
// encoded '/' ("%2F") is never decoded into a separator. Every byte outside
// [A-Za-z0-9._-] becomes '_', so '%' does too. An empty segment, "." and
// ".." become "index"; leading dots are replaced (no hidden files, nothing
// that looks like our temporaries); names over 120 bytes are shortened
// around a hash of the URL. Within one list, a name already taken gets
// "-2", "-3", ... before its extension, in list order, so the mapping is
// deterministic. The result never contains '/', is never empty, ".", or "..".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace juggle::fetch {

[[nodiscard]] std::string file_name_for_url(std::string_view url);

// Unique names for a list of URLs, in order.
[[nodiscard]] std::vector<std::string> assign_file_names(const std::vector<std::string>& urls);

}  // namespace juggle::fetch
