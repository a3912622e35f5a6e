// Telling JSON from text by its first bytes (lib/core/rewrite/json_sniff.cpp): whole documents
// against Python's json module (the build's interpreter, as a child), and samples cut anywhere
// inside a document, which stay JSON.
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "core/rewrite/json_sniff.hpp"
#include "support/subprocess.hpp"

BOOST_AUTO_TEST_SUITE(json_sniff)

BOOST_AUTO_TEST_CASE(whole_documents_as_python_s_json_says) {
  const std::vector<std::string> documents = {"{\"a\": 1}",
                                              "[1, 2.5e3, -0, true, false, null]",
                                              "{\"a\": {\"b\": [\"\\u00e9\\\\\"]}}",
                                              "[]",
                                              "{}",
                                              "{a: 1}",
                                              "[1, 2,]",
                                              "{\"a\" 1}",
                                              "[01]",
                                              "[1.]",
                                              "{\"a\": tru}",
                                              "[\"tab\there\"]",
                                              "[1] [2]"};
  const std::string program =
      "import json, sys\n"
      "for document in sys.argv[1:]:\n"
      "    try:\n        json.loads(document); print('json')\n    except ValueError:\n        print('text')\n";
  const std::vector<std::string> python = pyprefix::test::python_output_lines(program, documents);
  BOOST_REQUIRE(python.size() == documents.size());
  for (size_t i = 0; i < documents.size(); ++i) {
    BOOST_TEST_CONTEXT(documents[i]) {
      // "[1] [2]" is JSON Lines' second document on the same line: JSON to start with.
      const bool expected = python[i] == "json" || documents[i] == "[1] [2]";
      BOOST_TEST(pyprefix::detail::starts_as_json(documents[i]) == expected);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_document_cut_anywhere_stays_json) {
  const std::string document = "{\"traceEvents\": [{\"name\": \"f\", \"ts\": 1.5e3, \"args\": {\"x\": null}}]}";
  for (size_t cut = 1; cut <= document.size(); ++cut) BOOST_TEST_CONTEXT(document.substr(0, cut)) {
      BOOST_TEST(pyprefix::detail::starts_as_json(document.substr(0, cut)));
    }
}

BOOST_AUTO_TEST_SUITE_END()
