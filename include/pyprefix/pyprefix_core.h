/* pyprefix: where Python code lives, for native profilers and C++ tracers. The C API's core:
 * trimming, classifying and rewriting paths by a saved list or manifest, module names from a
 * manifest, abspath, and the options the full API asks an interpreter with; no Python anywhere
 * (link pyprefix-core). <pyprefix/pyprefix.h> adds the functions that ask an interpreter.
 *
 * Plain C (C99, and C++): for samplers and tracers written in C, Rust, Go or anything with a
 * C FFI. Every symbol starts with pyprefix_ or PYPREFIX_.
 *
 * Errors: no exception crosses this API. A function that can fail returns a pyprefix_status;
 * on failure, pyprefix_last_error() gives a one-line message, kept per thread until that
 * thread's next failing call.
 *
 * Ownership: what a pyprefix_*_new or pyprefix_*_from_* function hands out, the caller frees
 * with the matching pyprefix_*_free (each accepts NULL). Strings returned by accessors belong to
 * the object they were read from and live as long as it does; the strings of pyprefix_abspath
 * and pyprefix_manifest_json are freed with pyprefix_string_free.
 *
 * Threads: any thread may call any function. An options object or a report may be read by
 * several threads at once but changed or freed by one. A trimmer is immutable: any number of
 * threads may trim and match with it at once.
 *
 * ABI: the objects are opaque and functions are only ever added, so a program built against
 * an older header runs with a newer library of the same major ABI version. Check
 * pyprefix_abi_version() >= PYPREFIX_ABI_VERSION at start-up for the functions you use.
 * Version 1: reports, trimmers, abspath. Version 2: module names and distributions (indexes).
 * Version 3: running processes (pyprefix_options_set_pid). Version 4: manifests, rewriters, a
 * setter per flag, interpreter facts. Version 5: --attach (pyprefix_options_set_attach).
 * Version 6: the program you will run (pyprefix_options_set_program, _set_working_directory);
 * PYPREFIX_REWRITE_DETECT refuses binary input and rewrites pstats files. Version 7: formats
 * for pstats, pprof and jitdump (PYPREFIX_REWRITE_PSTATS, _PPROF, _JITDUMP), which
 * PYPREFIX_REWRITE_DETECT also recognises.
 *
 * Link: pyprefix-core (C consumers also need the C++ runtime, -lstdc++); pyprefix and
 * pyprefix-module hold it too.
 */
#ifndef PYPREFIX_PYPREFIX_CORE_H
#define PYPREFIX_PYPREFIX_CORE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The ABI this header describes. Grows by one when functions are added. */
#define PYPREFIX_ABI_VERSION 7

/** The ABI the linked library implements.
 *
 * Example:
 *   if (pyprefix_abi_version() < PYPREFIX_ABI_VERSION) fputs("pyprefix: the library is too old\n", stderr);
 */
int pyprefix_abi_version(void);

/** pyprefix's version, "X.Y.Z".
 *
 * Example:
 *   printf("pyprefix %s\n", pyprefix_version());  // "pyprefix 0.1.0"
 */
const char* pyprefix_version(void);

/** What a function that can fail returns. */
typedef enum pyprefix_status {
  PYPREFIX_OK = 0,               /**< success */
  PYPREFIX_ERROR = 1,            /**< pyprefix_last_error() says what went wrong */
  PYPREFIX_INVALID_ARGUMENT = 2, /**< a NULL where an object or string was needed, or an index out of range */
  PYPREFIX_OUT_OF_MEMORY = 3     /**< an allocation failed */
} pyprefix_status;

/** The last failure's one-line message on this thread, or "".
 *
 * Example:
 *   if (pyprefix_report_new(NULL, &report) != PYPREFIX_OK) fprintf(stderr, "%s\n", pyprefix_last_error());
 */
const char* pyprefix_last_error(void);

/** What kind of code a path holds (as pyprefix::Kind). */
typedef enum pyprefix_kind {
  PYPREFIX_KIND_UNKNOWN = 0,
  PYPREFIX_KIND_APPLICATION = 1,
  PYPREFIX_KIND_PACKAGE_ROOT = 2,
  PYPREFIX_KIND_THIRD_PARTY = 3,
  PYPREFIX_KIND_STDLIB = 4
} pyprefix_kind;

/** The stable name of a kind, "third-party".
 *
 * Example:
 *   puts(pyprefix_kind_name(PYPREFIX_KIND_STDLIB));  // "stdlib"
 */
const char* pyprefix_kind_name(pyprefix_kind kind);

/** What to ask the interpreter for (as pyprefix::Options); NULL options mean the defaults. */
typedef struct pyprefix_options pyprefix_options;

/** New default options, freed with pyprefix_options_free.
 *
 * Example:
 *   pyprefix_options* options = NULL;
 *   pyprefix_options_new(&options);
 */
pyprefix_status pyprefix_options_new(pyprefix_options** options);

/** Frees options (NULL is fine).
 *
 * Example:
 *   pyprefix_options_free(options);
 */
void pyprefix_options_free(pyprefix_options* options);

/** Adds a top-level module whose import root joins the list (Options::packages).
 *
 * Example:
 *   pyprefix_options_add_package(options, "torch");
 */
pyprefix_status pyprefix_options_add_package(pyprefix_options* options, const char* name);

/** Asks another Python, a path or a name on PATH, in a child process (Options::python).
 *
 * Example:
 *   pyprefix_options_set_python(options, "/srv/app/.venv/bin/python");
 */
pyprefix_status pyprefix_options_set_python(pyprefix_options* options, const char* executable);

/** Sets a flag: isolated (as `python -I`, running no code from the environment), classify
 * (the stdlib and install schemes too, for kinds) or resolve_symlinks (never with a pid:
 * PYPREFIX_INVALID_ARGUMENT, as realpath would follow that process's links with pyprefix's
 * rights).
 *
 * Example:
 *   pyprefix_options_set_flags(options, 0, 1, 0);  // classify
 */
pyprefix_status pyprefix_options_set_flags(pyprefix_options* options, int isolated, int classify, int resolve_symlinks);

/** Each sets one flag of the options (Options::isolated, classify, resolve_symlinks,
 * host_paths) to `on` (0 or 1). ABI 4.
 *
 * Example:
 *   pyprefix_options_set_classify(options, 1);
 *   pyprefix_options_set_pid(options, 4242, 0);
 *   pyprefix_options_set_host_paths(options, 1);  // needs the pid first
 */
pyprefix_status pyprefix_options_set_isolated(pyprefix_options* options, int on);
pyprefix_status pyprefix_options_set_classify(pyprefix_options* options, int on);
pyprefix_status pyprefix_options_set_resolve_symlinks(pyprefix_options* options, int on);
pyprefix_status pyprefix_options_set_host_paths(pyprefix_options* options, int on);

/** How long a child process may take, in milliseconds (Options::timeout; default 20000):
 * more than 0 and a day at most, else PYPREFIX_INVALID_ARGUMENT and the options unchanged.
 *
 * Example:
 *   pyprefix_options_set_timeout_ms(options, 5000);
 */
pyprefix_status pyprefix_options_set_timeout_ms(pyprefix_options* options, long milliseconds);

/** Asks running process `pid` (above 0)'s Python, as the process started (Options::pid;
 * Linux); with host_paths, its paths as this host reaches them (Options::host_paths). ABI 3.
 *
 * Example:
 *   pyprefix_options_set_pid(options, 4242, 0);
 */
pyprefix_status pyprefix_options_set_pid(pyprefix_options* options, int pid, int host_paths);

/** With the pid set: the list the process has now, read inside it through PEP 768
 * (Options::attach; Python 3.14 or newer). ABI 5.
 *
 * Example:
 *   pyprefix_options_set_pid(options, 4242, 0);
 *   pyprefix_options_set_attach(options, 1);
 */
pyprefix_status pyprefix_options_set_attach(pyprefix_options* options, int on);

/** The program you will run (Options::program): `count` strings, a Python (a path or a name on
 * PATH) first, then its own options and SCRIPT, -m MODULE, -c CODE or -, then its arguments;
 * copied. The list is then that program's, sys.path[0] as its start sets it. ABI 6.
 *
 * Example:
 *   const char* program[] = {"python3", "app/main.py", "--port", "80"};
 *   pyprefix_options_set_program(options, program, 4);
 */
pyprefix_status pyprefix_options_set_program(pyprefix_options* options, const char* const* argv, size_t count);

/** With a program (set it first): the folder it runs in (Options::working_directory); copied.
 * ABI 6.
 *
 * Example:
 *   pyprefix_options_set_working_directory(options, "/srv/app");
 */
pyprefix_status pyprefix_options_set_working_directory(pyprefix_options* options, const char* folder);

/** Shortens and classifies paths by the longest matching prefix (as pyprefix::Trimmer). */
typedef struct pyprefix_trimmer pyprefix_trimmer;

/** A trimmer for bare prefixes (kinds unknown); "/" is appended where missing.
 *
 * Example:
 *   const char* prefixes[] = {"/usr/lib/python3.11/", "/srv/app/"};
 *   pyprefix_trimmer_from_list(prefixes, 2, &trimmer);
 */
pyprefix_status pyprefix_trimmer_from_list(const char* const* prefixes, size_t count, pyprefix_trimmer** trimmer);

/** A trimmer for a saved `pyprefix list` or `list --json` file, or a `pyprefix manifest` (also a
 * Windows one, whose paths then match by ntpath's rules).
 *
 * Example:
 *   if (pyprefix_trimmer_from_file("prefixes.json", &trimmer) != PYPREFIX_OK) puts(pyprefix_last_error());
 */
pyprefix_status pyprefix_trimmer_from_file(const char* path, pyprefix_trimmer** trimmer);

/** Frees a trimmer (NULL is fine).
 *
 * Example:
 *   pyprefix_trimmer_free(trimmer);
 */
void pyprefix_trimmer_free(pyprefix_trimmer* trimmer);

/** How many leading bytes of path[0, length) its longest matching prefix covers: the short
 * path starts there. 0 when none matches, for a pseudo-file ("<string>") and for a NULL trimmer
 * or path. Never allocates.
 *
 * Example:
 *   const char* path = "/srv/app/main.py";
 *   printf("%s\n", path + pyprefix_trim(trimmer, path, strlen(path)));  // "main.py"
 */
size_t pyprefix_trim(const pyprefix_trimmer* trimmer, const char* path, size_t length);

/** pyprefix_trim(), and the kind of the prefix that matched (stdlib for "<frozen ...>").
 *
 * Example:
 *   size_t skip = 0;
 *   pyprefix_kind kind = pyprefix_match(trimmer, path, strlen(path), &skip);
 */
pyprefix_kind pyprefix_match(const pyprefix_trimmer* trimmer, const char* path, size_t length, size_t* skip);

/** The list with its sources, diagnostics and interpreter (as pyprefix::Report), which
 * pyprefix_report_new (<pyprefix/pyprefix.h>) makes. */
typedef struct pyprefix_report pyprefix_report;

/** Module names and owning distributions for paths (as pyprefix::CodeIndex). */
typedef struct pyprefix_index pyprefix_index;

/** Reads the metadata of the distributions installed under a report's import roots. A report
 * of a running process (its options' pid) is refused (PYPREFIX_ERROR): its index is its
 * manifest's, read while pyprefix holds the process (pyprefix_manifest_json).
 *
 * Example:
 *   pyprefix_index* index = NULL;
 *   pyprefix_index_new(report, &index);
 */
pyprefix_status pyprefix_index_new(const pyprefix_report* report, pyprefix_index** index);

/** The index of a `pyprefix manifest` file: modules and distributions as in the environment it
 * describes, without its files (as pyprefix::CodeIndex(pyprefix::read_manifest(path))). ABI 4.
 *
 * Example:
 *   pyprefix_index* index = NULL;
 *   if (pyprefix_index_from_manifest("capture.pyprefix.json", &index) != PYPREFIX_OK)
 *     fprintf(stderr, "%s\n", pyprefix_last_error());
 */
pyprefix_status pyprefix_index_from_manifest(const char* path, pyprefix_index** index);

/** Frees an index (NULL is fine).
 *
 * Example:
 *   pyprefix_index_free(index);
 */
void pyprefix_index_free(pyprefix_index* index);

/** The dotted module name of path[0, length) into buffer (at most size - 1 bytes and a NUL, as
 * snprintf), and its full length: 0 when the file is not importable.
 *
 * Example:
 *   char module[256];
 *   if (pyprefix_index_module(index, path, strlen(path), module, sizeof module) > 0) puts(module);
 */
size_t pyprefix_index_module(const pyprefix_index* index, const char* path, size_t length, char* buffer, size_t size);

/** The name of the distribution that owns path[0, length), or NULL; its version in *version
 * (NULL when it has none) when version is not NULL. The strings live as long as the index.
 *
 * Example:
 *   const char* version = NULL;
 *   const char* owner = pyprefix_index_distribution(index, path, strlen(path), &version);
 */
const char* pyprefix_index_distribution(const pyprefix_index* index, const char* path, size_t length,
                                        const char** version);

/** Rewrites a stream of bytes as pyprefix::Rewriter does: every path under a prefix, wherever
 * text or JSON holds it, loses its longest matching prefix. ABI 4. */
typedef struct pyprefix_rewriter pyprefix_rewriter;

/** How a rewriter reads its input (as pyprefix::RewriteFormat). ABI 4. */
typedef enum pyprefix_rewrite_format {
  PYPREFIX_REWRITE_DETECT = 0, /**< JSON when the input starts as JSON does, else text */
  PYPREFIX_REWRITE_TEXT = 1,   /**< paths at a line's start or after a byte no path follows */
  PYPREFIX_REWRITE_JSON = 2,   /**< paths inside JSON strings, matched by their decoded value */
  PYPREFIX_REWRITE_PSTATS = 3, /**< a pstats file, held whole: each function's file shortened (ABI 7) */
  PYPREFIX_REWRITE_PPROF = 4,  /**< pprof, uncompressed: each string only Function.filename names (ABI 7) */
  PYPREFIX_REWRITE_JITDUMP = 5 /**< perf's jitdump: each code-load record's name (ABI 7) */
} pyprefix_rewrite_format;

/** Receives a rewriter's output in order, in pieces; `data` is valid during the call only. ABI 4. */
typedef void (*pyprefix_sink)(void* context, const char* data, size_t size);

/** A rewriter that matches with `trimmer` and hands its output to `sink(context, ...)`; with an
 * `index` (not NULL), a Python file's path becomes its module name instead. The trimmer and the
 * index must outlive it. A Windows manifest's trimmer is refused. ABI 4.
 *
 * Example:
 *   // with: void write_to_file(void* file, const char* data, size_t size) { fwrite(data, 1, size, file); }
 *   pyprefix_rewriter* rewriter = NULL;
 *   pyprefix_rewriter_new(trimmer, PYPREFIX_REWRITE_DETECT, NULL, write_to_file, stdout, &rewriter);
 */
pyprefix_status pyprefix_rewriter_new(const pyprefix_trimmer* trimmer, pyprefix_rewrite_format format,
                                      const pyprefix_index* index, pyprefix_sink sink, void* context,
                                      pyprefix_rewriter** rewriter);

/** The next `size` bytes of the input; chunks may end anywhere. ABI 4.
 *
 * Example:
 *   const char chunk[] = "  File \"/usr/lib/python3.11/json/decoder.py\", line 337\n";
 *   pyprefix_rewriter_write(rewriter, chunk, sizeof chunk - 1);
 */
pyprefix_status pyprefix_rewriter_write(pyprefix_rewriter* rewriter, const char* data, size_t size);

/** The end of the input: writes what is left; nothing may be written after it. ABI 4.
 *
 * Example:
 *   pyprefix_rewriter_finish(rewriter);
 */
pyprefix_status pyprefix_rewriter_finish(pyprefix_rewriter* rewriter);

/** What finish found wrong with the input (a JSON document cut inside a string), one line each,
 * "" when nothing; valid while the rewriter lives. ABI 4.
 *
 * Example:
 *   const char* warnings = pyprefix_rewriter_warnings(rewriter);
 *   if (*warnings != '\0') fprintf(stderr, "%s", warnings);
 */
const char* pyprefix_rewriter_warnings(const pyprefix_rewriter* rewriter);

/** Frees a rewriter (NULL is fine).
 *
 * Example:
 *   pyprefix_rewriter_free(rewriter);
 */
void pyprefix_rewriter_free(pyprefix_rewriter* rewriter);

/** os.path.abspath(path) on bytes, NUL-terminated in *result, freed with pyprefix_string_free.
 *
 * Example:
 *   char* normal = NULL;
 *   pyprefix_abspath("/usr/lib/../lib64//", &normal);  // "/usr/lib64"
 */
pyprefix_status pyprefix_abspath(const char* path, char** result);

/** Frees a string pyprefix handed out (NULL is fine).
 *
 * Example:
 *   pyprefix_string_free(normal);
 */
void pyprefix_string_free(char* string);

#ifdef __cplusplus
}
#endif

#endif /* PYPREFIX_PYPREFIX_CORE_H */
