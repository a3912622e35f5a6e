/* pyprefix: where Python code lives, for native profilers and C++ tracers. The C API: the
 * core's functions (<pyprefix/pyprefix_core.h>: trimming, classifying, rewriting, module names
 * from a manifest, abspath, options, the ABI version) and those that ask an interpreter:
 * reports, manifests, a trimmer or an index from a report.
 *
 * Link: pyprefix (embeds or joins Python; C consumers also need the C++ runtime, -lstdc++), or
 * pyprefix-module inside a Python extension module. A program that needs no Python includes
 * <pyprefix/pyprefix_core.h> and links pyprefix-core instead.
 */
#ifndef PYPREFIX_PYPREFIX_H
#define PYPREFIX_PYPREFIX_H

#include <stddef.h>

#include <pyprefix/pyprefix_core.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What `pyprefix manifest` writes for these options (NULL: the defaults), as JSON text in
 * *json, freed with pyprefix_string_free (as pyprefix::manifest_json(pyprefix::manifest(...));
 * its diagnostics are not kept). ABI 4.
 *
 * Example:
 *   char* json = NULL;
 *   if (pyprefix_manifest_json(options, &json) == PYPREFIX_OK) fputs(json, stdout);
 *   pyprefix_string_free(json);
 */
pyprefix_status pyprefix_manifest_json(const pyprefix_options* options, char** json);

/** Asks the interpreter (the process's own, embedded if none runs, or options' python) for
 * its list, as pyprefix::report(). Any thread; takes the GIL as needed.
 *
 * Example:
 *   pyprefix_report* report = NULL;
 *   if (pyprefix_report_new(NULL, &report) != PYPREFIX_OK) fprintf(stderr, "%s\n", pyprefix_last_error());
 */
pyprefix_status pyprefix_report_new(const pyprefix_options* options, pyprefix_report** report);

/** Frees a report (NULL is fine).
 *
 * Example:
 *   pyprefix_report_free(report);
 */
void pyprefix_report_free(pyprefix_report* report);

/** How many prefixes the report holds.
 *
 * Example:
 *   for (size_t i = 0; i < pyprefix_report_size(report); ++i) puts(pyprefix_report_prefix(report, i, NULL));
 */
size_t pyprefix_report_size(const pyprefix_report* report);

/** Prefix `index`, longest-first order, ending in "/", NUL-terminated; its length in bytes in
 * *length when length is not NULL. NULL when index is out of range.
 *
 * Example:
 *   size_t length = 0;
 *   const char* first = pyprefix_report_prefix(report, 0, &length);
 */
const char* pyprefix_report_prefix(const pyprefix_report* report, size_t index, size_t* length);

/** The kind of prefix `index` (from its sources); PYPREFIX_KIND_UNKNOWN when out of range.
 *
 * Example:
 *   pyprefix_kind kind = pyprefix_report_prefix_kind(report, 0);
 */
pyprefix_kind pyprefix_report_prefix_kind(const pyprefix_report* report, size_t index);

/** How many diagnostics (skipped entries, packages not found) the report holds.
 *
 * Example:
 *   size_t warnings = pyprefix_report_diagnostic_count(report);
 */
size_t pyprefix_report_diagnostic_count(const pyprefix_report* report);

/** Diagnostic `index`, one line; NULL when out of range.
 *
 * Example:
 *   fprintf(stderr, "warning: %s\n", pyprefix_report_diagnostic(report, 0));
 */
const char* pyprefix_report_diagnostic(const pyprefix_report* report, size_t index);

/** A fact about the interpreter asked: "version", "executable", "prefix", "base_prefix",
 * "platform" or "cache_tag" (ABI 4); NULL for another name.
 *
 * Example:
 *   printf("Python %s\n", pyprefix_report_interpreter(report, "version"));  // "Python 3.11.2"
 */
const char* pyprefix_report_interpreter(const pyprefix_report* report, const char* fact);

/** Extension suffix `index` of the interpreter asked (importlib.machinery.EXTENSION_SUFFIXES, in
 * its order); NULL when out of range. ABI 4.
 *
 * Example:
 *   for (size_t i = 0; pyprefix_report_extension_suffix(report, i) != NULL; ++i)
 *     puts(pyprefix_report_extension_suffix(report, i));  // ".cpython-311-x86_64-linux-gnu.so" ...
 */
const char* pyprefix_report_extension_suffix(const pyprefix_report* report, size_t index);

/** A trimmer for a report's prefixes, with their kinds.
 *
 * Example:
 *   pyprefix_trimmer* trimmer = NULL;
 *   pyprefix_trimmer_from_report(report, &trimmer);
 */
pyprefix_status pyprefix_trimmer_from_report(const pyprefix_report* report, pyprefix_trimmer** trimmer);

#ifdef __cplusplus
}
#endif

#endif /* PYPREFIX_PYPREFIX_H */
