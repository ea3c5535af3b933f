#include <catch2/catch.hpp>

#include <sstream>

#include "fetch/url_list.hpp"
#include "fetch/url_naming.hpp"

using namespace juggle::fetch;

TEST_CASE("file names come from the last path segment and stay safe", "[fetch][naming]") {
  CHECK(file_name_for_url("https://www.gutenberg.org/cache/epub/376/pg376.txt") == "pg376.txt");
  CHECK(file_name_for_url("https://www.gutenberg.org/files/84/84-0.txt?download=1#top") == "84-0.txt");
  CHECK(file_name_for_url("http://h/a/..%2F..%2Fetc%2Fpasswd") == "___2F.._2Fetc_2Fpasswd");
  CHECK(file_name_for_url("http://h/a/%2Fetc%2Fpasswd") == "_2Fetc_2Fpasswd");
  CHECK(file_name_for_url("http://h/dir/") == "index");
  CHECK(file_name_for_url("http://h") == "index");
  CHECK(file_name_for_url("http://h/.") == "index");
  CHECK(file_name_for_url("http://h/a/..") == "index");
  CHECK(file_name_for_url("http://h/.hidden") == "_hidden");
  CHECK(file_name_for_url("http://h/a%20b%22c%3Cd%3E%7Ce:f;g") == "a_20b_22c_3Cd_3E_7Ce_f_g");
  CHECK(file_name_for_url("http://h/caf%C3%A9.txt") == "caf_C3_A9.txt");
  CHECK(file_name_for_url("not a url at all") == "index");
  const std::string long_url = "http://h/" + std::string(500, 'x') + ".txt";
  const std::string long_name = file_name_for_url(long_url);
  CHECK(long_name.size() <= 120);
  CHECK(long_name.substr(long_name.size() - 4) == ".txt");
  CHECK(long_name != file_name_for_url("http://h/" + std::string(501, 'x') + ".txt"));
}

TEST_CASE("no URL yields a name that leaves the folder", "[fetch][naming]") {
  for (const char* url : {"http://h/../../x", "http://h/%2e%2e", "http://h/%2e%2e%2f%2e%2e%2fx", "http://h//", "http://h/a/.",
                          "http://h/?x=/../../y", "http://h/\\..\\..\\z", "file:///etc/passwd", "http://h/%00"}) {
    INFO(url);
    const std::string name = file_name_for_url(url);
    CHECK_FALSE(name.empty());
    CHECK(name != ".");
    CHECK(name != "..");
    CHECK(name.find('/') == std::string::npos);
    CHECK(name.find('\0') == std::string::npos);
    CHECK(name[0] != '.');
  }
}

TEST_CASE("collisions are resolved in list order", "[fetch][naming]") {
  const auto names = assign_file_names({"http://a/x/same.txt", "http://b/y/same.txt", "http://c/same-2.txt",
                                        "http://d/z/same.txt", "http://e/"});
  CHECK(names == std::vector<std::string>{"same.txt", "same-2.txt", "same-2-2.txt", "same-3.txt", "index"});
}

TEST_CASE("a long name that collides stays within 120 bytes", "[fetch][naming]") {
  // Found by tests/fuzz: a shortened 120-byte name got "-2" appended.
  const std::string url = "http://a/" + std::string(300, 'n') + ".txt";
  const auto names = assign_file_names({url, url, url});
  REQUIRE(names.size() == 3);
  for (const std::string& n : names) CHECK(n.size() <= 120);
  CHECK(names[1].ends_with("-2.txt"));
  CHECK(names[2].ends_with("-3.txt"));
  CHECK(names[0] != names[1]);
}

TEST_CASE("URL lists: comments, checksums, sizes and bad lines", "[fetch][list]") {
  std::istringstream in(
      "# books\n"
      "https://e.org/a.txt#frag\n"
      "\n"
      "https://e.org/b.txt  " + std::string(64, 'A') + " 1234   # with both\n"
      "https://e.org/c.txt nothex\n"
      "https://e.org/d.txt " + std::string(64, 'b') + " 12x\n"
      "https://e.org/e.txt " + std::string(64, 'c') + "\n"
      "a b c d\n");
  const UrlList list = parse_url_list(in);
  REQUIRE(list.entries.size() == 3);
  CHECK(list.entries[0].url == "https://e.org/a.txt#frag");
  CHECK(list.entries[0].line == 2);
  CHECK(list.entries[1].sha256 == std::string(64, 'a'));
  CHECK(list.entries[1].size == 1234u);
  CHECK_FALSE(list.entries[2].size);
  REQUIRE(list.problems.size() == 3);
  CHECK(list.problems[0].line == 5);
  CHECK(list.problems[1].line == 6);
  CHECK(list.problems[2].line == 8);
}
